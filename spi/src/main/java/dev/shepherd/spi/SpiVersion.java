package dev.shepherd.spi;

/**
 * The version of this SPI. The kernel hands it to PF4J as the system version; every plugin declares
 * the range it needs in {@code plugin.requires} (for example {@code >=0.1.0 & <0.2.0}) and is refused
 * at start-up when {@link #CURRENT} falls outside it.
 */
public interface SpiVersion {
    /** The SPI version this build implements. Minor bumps add, major bumps break. */
    String CURRENT = "0.1.0";
}
