package dev.lathe.runtime.model;

/**
 * Inputs that do not fit a compiled model's signature. {@link #code()} is the stable error code of
 * the compiler's diagnostics ({@code E0601} dim outside its bounds or inconsistent, {@code E0602}
 * missing input, {@code E0603} wrong dtype, {@code E0604} wrong rank or shape, {@code E0605} unknown
 * input); the message names the input.
 */
public final class ModelInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String input;

    /** {@code input} is the name of the input at fault (the first one when several are). */
    public ModelInputException(String code, String input, String message) {
        super(message);
        this.code = code;
        this.input = input;
    }

    public String code() {
        return code;
    }

    public String input() {
        return input;
    }

    @Override
    public String toString() {
        return "error[" + code + "]: " + getMessage();
    }
}
