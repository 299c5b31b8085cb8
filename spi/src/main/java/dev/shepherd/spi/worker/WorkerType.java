package dev.shepherd.spi.worker;

/** The role a worker plays, as in SMG: regular workers serve whole requests; the others serve PD/EPD stages. */
public enum WorkerType {
    REGULAR, PREFILL, DECODE, ENCODE;

    /** The lower-case name used in the manifest and the API. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
