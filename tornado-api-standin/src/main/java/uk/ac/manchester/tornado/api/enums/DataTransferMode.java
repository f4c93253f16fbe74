package uk.ac.manchester.tornado.api.enums;

/** When a task graph copies an array between host and device. */
public final class DataTransferMode {
    /** Copy on the first execution only: the data stays on the device (read-only data such as weights). */
    public static final int FIRST_EXECUTION = 0;
    /** Copy on every execution (inputs and outputs). */
    public static final int EVERY_EXECUTION = 1;

    private DataTransferMode() {}
}
