package dev.lathe.ir;

import dev.lathe.diag.ErrorCode;
import java.util.Objects;

/**
 * A user-facing typing error of one op call (E0301, E0302, E0303, E0305, E0307). The message is
 * complete ("shape mismatch in add: f32[B, 128] vs f32[B, 64]"); the elaborator adds the span and
 * the instance path.
 */
public final class OpTypeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public OpTypeException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
