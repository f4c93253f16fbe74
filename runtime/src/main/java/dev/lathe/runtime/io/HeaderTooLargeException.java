package dev.lathe.runtime.io;

/** A file whose declared header length is above the configured cap (DESIGN.md §8). */
public class HeaderTooLargeException extends WeightsFormatException {
    private final long declared;
    private final long limit;

    public HeaderTooLargeException(String source, long declared, long limit) {
        super(source, null, "header length " + Long.toUnsignedString(declared) + " bytes exceeds the limit of "
                + limit + " bytes (raise it through the reader's limits if the file is trusted)");
        this.declared = declared;
        this.limit = limit;
    }

    /** The header length the file declares (unsigned). */
    public long declared() { return declared; }

    public long limit() { return limit; }
}
