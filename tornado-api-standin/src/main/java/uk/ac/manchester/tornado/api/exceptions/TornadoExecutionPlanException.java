package uk.ac.manchester.tornado.api.exceptions;

/** A checked failure of an execution plan (TornadoVM's {@code close()} declares it). */
public class TornadoExecutionPlanException extends Exception {
    public TornadoExecutionPlanException(String message) {
        super(message);
    }
}
