package dev.shepherd.kernel.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin's class loader. It answers only the packages the kernel shares with
 * plugins (the SPI and the libraries in its signatures) plus the JDK; everything else of the kernel
 * stays invisible, so a plugin cannot reach kernel internals or clash with the kernel's libraries.
 */
final class SharedPackagesClassLoader extends ClassLoader {

    /**
     * Shared packages. Undertow and XNIO are shared so the HTTP backend can run its upstream
     * connections on the server's own I/O threads and buffer pool (see docs/architecture.md).
     */
    static final List<String> SHARED_PACKAGES = List.of(
            "dev.shepherd.spi.",
            "org.pf4j.",
            "com.fasterxml.jackson.",
            "io.micrometer.",
            "io.opentelemetry.api.",
            "io.opentelemetry.context.",
            "org.slf4j.",
            "io.undertow.",
            "org.xnio.");

    private final ClassLoader kernel;

    SharedPackagesClassLoader(ClassLoader kernel) {
        super("shepherd-shared", ClassLoader.getPlatformClassLoader());
        this.kernel = kernel;
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return kernel.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name.replace('/', '.'))) {
            return kernel.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name.replace('/', '.'))) {
            return kernel.getResources(name);
        }
        // Plugins must not see the kernel's service files or extension index.
        return name.startsWith("META-INF/") ? Collections.emptyEnumeration() : super.getResources(name);
    }
}
