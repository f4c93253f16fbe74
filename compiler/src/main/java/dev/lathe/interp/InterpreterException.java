package dev.lathe.interp;

/**
 * An op met operands that no compile-time check could rule out: an index out of range in
 * {@code gather}, a reshape whose size only fails once run-time dims are known, shapes with
 * {@code ?} dims that do not broadcast. The message names the op and the values involved.
 */
public final class InterpreterException extends RuntimeException {
    public InterpreterException(String message) {
        super(message);
    }

    public InterpreterException(String message, Throwable cause) {
        super(message, cause);
    }
}
