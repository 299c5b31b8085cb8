package dev.shepherd.kernel.cli;

import dev.shepherd.kernel.Gateway;
import dev.shepherd.kernel.manifest.Manifest;
import dev.shepherd.kernel.manifest.ManifestException;
import dev.shepherd.kernel.manifest.ManifestLoader;
import dev.shepherd.kernel.observe.logging.LoggingSetup;
import dev.shepherd.kernel.plugin.PluginLoadException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code smg}: SMG-compatible command line. */
@Command(name = "smg", mixinStandardHelpOptions = true, version = "Shepherd 0.1.0",
        description = "Shepherd model gateway.",
        subcommands = {SmgCommand.Launch.class, SmgCommand.Config.class})
public final class SmgCommand {

    /** Exit code for a configuration the gateway refuses. */
    static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SmgCommand()).execute(args));
    }

    /** {@code smg launch}: runs the gateway until it is stopped (SIGTERM drains first). */
    @Command(name = "launch", mixinStandardHelpOptions = true, description = "Run the gateway.")
    static final class Launch implements Callable<Integer> {
        @Mixin
        LaunchOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Manifest manifest;
            Gateway gateway;
            try {
                manifest = ManifestLoader.load(options.config, options.overrides());
                LoggingSetup.apply(manifest.logging().toOptions());
                gateway = Gateway.start(manifest);
            } catch (ManifestException | PluginLoadException | java.io.UncheckedIOException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return CONFIG_ERROR;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    gateway.close();
                } finally {
                    LoggingSetup.stop();
                    stopped.countDown();
                }
            }, "smg-shutdown"));
            stopped.await();
            return 0;
        }
    }

    /** {@code smg config print}: the effective manifest, secrets masked. */
    @Command(name = "config", description = "Configuration tools.", subcommands = Config.Print.class)
    static final class Config {

        @Command(name = "print", mixinStandardHelpOptions = true,
                description = "Print the effective manifest (file plus flags), secrets masked.")
        static final class Print implements Callable<Integer> {
            @Mixin
            LaunchOptions options;

            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                try {
                    Manifest manifest = ManifestLoader.load(options.config, options.overrides());
                    spec.commandLine().getOut().print(EffectiveManifest.render(manifest));
                    spec.commandLine().getOut().flush();
                    return 0;
                } catch (ManifestException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return CONFIG_ERROR;
                }
            }
        }
    }
}
