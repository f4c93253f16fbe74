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

    public ModelInputException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "error[" + code + "]: " + getMessage();
    }
}
