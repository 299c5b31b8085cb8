package dev.shepherd.kernel.manifest;

import java.util.List;

/** The manifest could not be used. Carries every fault found, each with file, line and YAML path. */
public final class ManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> faults;

    public ManifestException(List<String> faults) {
        super("invalid configuration:\n  " + String.join("\n  ", faults));
        this.faults = List.copyOf(faults);
    }

    public List<String> faults() {
        return faults;
    }
}
