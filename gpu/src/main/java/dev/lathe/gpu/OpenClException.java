package dev.lathe.gpu;

/** An OpenCL failure with a message fit for users: no platform, no such device, build log, run error. */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
