package dev.lathe.interp;

import dev.lathe.diag.ErrorCode;
import java.util.Objects;

/**
 * A run-time input does not fit the graph's signature (E06xx). A user error: the CLI prints
 * the code and message and exits with status 1. The message names the input; {@link #input()} is
 * its name (the first one when several are at fault).
 */
public final class InputException extends RuntimeException {
    private final ErrorCode code;
    private final String input;

    public InputException(ErrorCode code, String input, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.input = input;
    }

    public ErrorCode code() {
        return code;
    }

    public String input() {
        return input;
    }
}
