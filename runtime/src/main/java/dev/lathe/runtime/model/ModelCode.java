package dev.lathe.runtime.model;

/**
 * What a generated model class implements: one call runs the whole graph. {@code buffers[i]} is the
 * array (or packed weight) of buffer {@code i} of the {@link ModelSpec}, {@code sizes[i]} the value of
 * size {@code i}. Implementations are stateless, so one instance serves every thread.
 */
public interface ModelCode {
    void run(Object[] buffers, int[] sizes, RunContext context);
}
