package dev.shepherd.plugin.middleware.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.spi.middleware.HookResult;
import dev.shepherd.testkit.fakes.ConfigBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory's smoke test and the binding of its manifest section. */
class WasmMiddlewareFactoryTest {

    @TempDir
    Path dir;

    @Test
    void bindsDefaults() throws Exception {
        WasmMiddlewareConfig config = ConfigBinding.bind("{}", WasmMiddlewareConfig.class);

        assertThat(config.modules()).isEmpty();
        assertThat(config.engine()).isEqualTo("compiled");
        assertThat(config.maxIdleInstances()).isEqualTo(16);
        assertThat(config.maxBodyBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.maxOutputBytes()).isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void bindsEveryModuleKey() throws Exception {
        WasmMiddlewareConfig config = ConfigBinding.bind("{'engine':'interpreted','max_idle_instances':2,"
                + "'modules':[{'name':'auth','path':'/x/auth.wasm','hooks':['on_request','on_response'],"
                + "'failure_mode':'fail_open','max_pages':16,'timeout_ms':250,'stream_events':true,"
                + "'config':{'api_key':'k'}}]}", WasmMiddlewareConfig.class);

        ModuleConfig module = config.modules().get(0);
        assertThat(module.name()).isEqualTo("auth");
        assertThat(module.path()).isEqualTo("/x/auth.wasm");
        assertThat(module.hookSet()).containsExactlyInAnyOrder(Hook.ON_REQUEST, Hook.ON_RESPONSE);
        assertThat(module.failure()).isEqualTo(FailureMode.FAIL_OPEN);
        assertThat(module.maxPages()).isEqualTo(16);
        assertThat(module.timeoutMs()).isEqualTo(250);
        assertThat(module.streamEvents()).isTrue();
        assertThat(module.config().path("api_key").asText()).isEqualTo("k");
    }

    @Test
    void moduleDefaultsFollowSmg() throws Exception {
        ModuleConfig module = ConfigBinding.bind("{'name':'m','file_path':'/m.wasm',"
                + "'attach_points':[{'Middleware':'OnResponse'}]}", ModuleConfig.class);

        assertThat(module.path()).isEqualTo("/m.wasm");
        assertThat(module.hookSet()).containsExactly(Hook.ON_RESPONSE);
        assertThat(module.failure()).isEqualTo(FailureMode.FAIL_CLOSED);
        assertThat(module.maxPages()).isEqualTo(1024);
        assertThat(module.timeoutMs()).isEqualTo(1000);
        assertThat(module.streamEvents()).isFalse();
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> ConfigBinding.bind("{'name':'m','max_pages':70000}", ModuleConfig.class))
                .hasMessageContaining("max_pages");
        assertThatThrownBy(() -> ConfigBinding.bind("{'name':'m','timeout_ms':0}", ModuleConfig.class))
                .hasMessageContaining("timeout_ms");
        assertThatThrownBy(() -> ConfigBinding.bind("{'name':'m','hooks':['on_error']}", ModuleConfig.class))
                .hasMessageContaining("unknown hook");
        assertThatThrownBy(() -> ConfigBinding.bind("{'name':'m','failure_mode':'maybe'}", ModuleConfig.class))
                .hasMessageContaining("failure_mode");
        assertThatThrownBy(() -> ConfigBinding.bind("{'modules':[{'name':'m'}]}", WasmMiddlewareConfig.class))
                .hasMessageContaining("needs a 'path'");
        assertThatThrownBy(() -> ConfigBinding.bind("{'engine':'jit'}", WasmMiddlewareConfig.class))
                .hasMessageContaining("unknown engine");
    }

    @Test
    void createsTheMiddlewareWithModulesFromFiles() throws Exception {
        Path wasm = Files.write(dir.resolve("headers.wasm"), Wat.wasm("headers"));
        WasmMiddlewareConfig config = ConfigBinding.bind("{'modules':[{'name':'h','path':'"
                + wasm.toString().replace('\\', '/') + "','hooks':['on_request','on_response']}]}", WasmMiddlewareConfig.class);
        WasmMiddlewareFactory factory = new WasmMiddlewareFactory();

        try (Guests guests = new Guests(config)) {
            assertThat(factory.name()).isEqualTo("wasm");
            assertThat(factory.configType()).isEqualTo(WasmMiddlewareConfig.class);
            assertThat(guests.request(Guests.chat("a", "hi"))).isInstanceOf(HookResult.Modify.class);
            assertThat(WasmRuntimes.current()).contains(guests.registry);
        }
        assertThat(WasmRuntimes.current()).isEmpty();
    }

    @Test
    void aBadModuleStopsStartUpWithItsName() throws Exception {
        WasmMiddlewareConfig config = ConfigBinding.bind("{'modules':[{'name':'gone','path':'"
                + dir.resolve("missing.wasm").toString().replace('\\', '/') + "'}]}", WasmMiddlewareConfig.class);

        assertThatThrownBy(() -> new Guests(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wasm module 'gone'").hasMessageContaining("cannot read the module file");
    }
}
