package dev.shepherd.spi;

/** The configuration of a factory that takes none: any key in its manifest section is an error. */
public record NoConfig() {
}
