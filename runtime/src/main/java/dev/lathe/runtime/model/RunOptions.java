package dev.lathe.runtime.model;

/**
 * How a compiled model runs: {@code threads} is the most threads one call uses (the calling thread
 * plus pool workers, for the GEMM, conv and attention kernels); 1 runs everything on the caller.
 */
public record RunOptions(int threads) {
    public RunOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }

    /** One thread: the calling thread does all the work. */
    public static RunOptions defaults() {
        return new RunOptions(1);
    }

    public RunOptions withThreads(int n) {
        return new RunOptions(n);
    }
}
