package dev.lathe.runtime.model;

/**
 * An op failed on the values it was given at run time (an index outside its dim in {@code gather},
 * an integer division by zero): the compiled counterpart of the interpreter's run-time errors.
 */
public final class ModelRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelRunException(String message) {
        super(message);
    }
}
