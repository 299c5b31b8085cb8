package dev.shepherd.plugin.middleware.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a parsed module against guest ABI v1 before any of its code runs: the version marker, an
 * exported memory within the page cap, imports only from the {@code shepherd} module (no WASI, no
 * sockets, no files), and an export for every hook it is attached to.
 */
final class ModuleValidator {

    private ModuleValidator() {
    }

    /** The names of the module's exported functions. */
    static Set<String> validate(WasmModule module, Set<Hook> hooks, int maxPages) {
        Set<String> functions = new HashSet<>();
        boolean memory = false;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION) {
                functions.add(export.name());
            } else if (export.exportType() == ExternalType.MEMORY && export.name().equals(GuestAbi.MEMORY)) {
                memory = true;
            }
        }
        if (!functions.contains(GuestAbi.VERSION_MARKER)) {
            throw new InvalidModuleException("not a Shepherd guest: the export '" + GuestAbi.VERSION_MARKER
                    + "' (ABI version 1 marker) is missing");
        }
        if (!memory) {
            throw new InvalidModuleException("the guest must export its linear memory as '" + GuestAbi.MEMORY + "'");
        }
        for (Hook hook : hooks) {
            if (!functions.contains(hook.exportName())) {
                throw new InvalidModuleException("attached to " + hook.exportName() + " but the guest does not export '"
                        + hook.exportName() + "'");
            }
        }
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imported = module.importSection().getImport(i);
            if (!imported.module().equals(GuestAbi.IMPORT_MODULE) || imported.importType() != ExternalType.FUNCTION
                    || !HostFunctions.NAMES.contains(imported.name())) {
                throw new InvalidModuleException("the guest imports " + imported.module() + "." + imported.name()
                        + ", which ABI v1 does not offer (only functions of the '" + GuestAbi.IMPORT_MODULE + "' module)");
            }
        }
        module.memorySection().ifPresent(section -> {
            for (int i = 0; i < section.memoryCount(); i++) {
                MemoryLimits limits = section.getMemory(i).limits();
                if (limits.initialPages() > maxPages) {
                    throw new InvalidModuleException("the guest starts with " + limits.initialPages()
                            + " memory pages, more than the cap of " + maxPages);
                }
            }
        });
        return functions;
    }
}
