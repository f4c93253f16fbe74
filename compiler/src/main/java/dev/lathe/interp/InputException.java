package dev.lathe.interp;

import dev.lathe.diag.ErrorCode;
import java.util.Objects;

/**
 * A run-time input does not fit the graph's signature (E06xx). A user error: the CLI prints
 * the code and message and exits with status 1. The message always names the input.
 */
public final class InputException extends RuntimeException {
    private final ErrorCode code;

    public InputException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
