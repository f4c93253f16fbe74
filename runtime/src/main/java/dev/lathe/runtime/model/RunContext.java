package dev.lathe.runtime.model;

import dev.lathe.runtime.kernels.Parallelism;

/** What generated code passes to the runtime kernels besides buffers: how many threads they may use. Immutable. */
public final class RunContext {
    private final Parallelism parallelism;

    public RunContext(Parallelism parallelism) {
        this.parallelism = java.util.Objects.requireNonNull(parallelism, "parallelism");
    }

    public Parallelism parallelism() {
        return parallelism;
    }

    public int threads() {
        return parallelism.threads();
    }
}
