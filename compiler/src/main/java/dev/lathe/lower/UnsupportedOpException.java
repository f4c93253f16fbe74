package dev.lathe.lower;

/**
 * A Graph IR node that a backend cannot compile (yet). Thrown at compile time, so that an
 * unsupported op is a clear error and never a wrong result.
 */
public final class UnsupportedOpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String op;

    public UnsupportedOpException(String op, String message) {
        super(message);
        this.op = op;
    }

    /** The op's name ({@code lowrank_linear}). */
    public String op() {
        return op;
    }
}
