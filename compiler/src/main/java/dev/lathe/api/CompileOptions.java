package dev.lathe.api;

import dev.lathe.lower.LowerOptions;
import dev.lathe.runtime.model.RunOptions;

/**
 * How {@link Lathe#compile} compiles and runs a model: the lowering's choices (runtime kernels,
 * cleanup, fusion, buffer reuse; all on by default) and the compiled model's run options (threads).
 */
public record CompileOptions(LowerOptions lowering, RunOptions run) {
    public CompileOptions {
        java.util.Objects.requireNonNull(lowering, "lowering");
        java.util.Objects.requireNonNull(run, "run");
    }

    public static CompileOptions defaults() {
        return new CompileOptions(LowerOptions.defaults(), RunOptions.defaults());
    }

    public CompileOptions withThreads(int threads) {
        return new CompileOptions(lowering, run.withThreads(threads));
    }

    public CompileOptions withLowering(LowerOptions options) {
        return new CompileOptions(options, run);
    }
}
