package dev.shepherd.architecture;

/** The package patterns the rules speak of, in ArchUnit's package-identifier syntax. */
final class Packages {

    static final String SHEPHERD = "dev.shepherd";
    static final String SPI = "dev.shepherd.spi..";
    static final String KERNEL = "dev.shepherd.kernel..";
    static final String PLUGINS = "dev.shepherd.plugin..";
    static final String WASM_MIDDLEWARE = "dev.shepherd.plugin.middleware.wasm..";
    static final String CHICORY = "com.dylibso.chicory..";

    /** Test tools (the simulated engine and the test kit): not part of the gateway. */
    static final String SIM_ENGINE = "dev.shepherd.sim..";
    static final String TESTKIT = "dev.shepherd.testkit..";

    /**
     * What the SPI may reference: itself, the JDK and the libraries whose packages the plugin
     * classloader takes from the kernel (ARCHITECTURE.md, "Classloading"). A type outside this list
     * would be a second, plugin-local copy of the class on the plugin side.
     */
    static final String[] SPI_ALLOWED = {
        "java..",
        "dev.shepherd.spi..",
        "org.pf4j..",
        "com.fasterxml.jackson..",
        "io.micrometer..",
        "io.opentelemetry.api..",
        "io.opentelemetry.context..",
        "org.slf4j..",
    };

    private Packages() {
    }
}
