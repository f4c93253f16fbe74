package dev.lathe.lower;

/**
 * Choices of the lowering.
 *
 * @param runtimeKernels f32 GEMM, conv, softmax, norms and attention call the runtime's Vector API
 *                       kernels; when false every op becomes a loop nest that computes exactly what
 *                       the interpreter computes (slow, for differential tests of the loop nests)
 * @param cleanup        constant folding, dead-code and common-subexpression elimination on the graph first
 * @param fuse           elementwise chains fused into one loop nest, and into GEMM epilogues
 * @param reuseBuffers   intermediates share pooled slots when their lifetimes do not overlap
 */
public record LowerOptions(boolean runtimeKernels, boolean cleanup, boolean fuse, boolean reuseBuffers) {
    public static LowerOptions defaults() {
        return new LowerOptions(true, true, true, true);
    }

    public LowerOptions withRuntimeKernels(boolean on) {
        return new LowerOptions(on, cleanup, fuse, reuseBuffers);
    }

    public LowerOptions withCleanup(boolean on) {
        return new LowerOptions(runtimeKernels, on, fuse, reuseBuffers);
    }

    public LowerOptions withFusion(boolean on) {
        return new LowerOptions(runtimeKernels, cleanup, on, reuseBuffers);
    }

    public LowerOptions withBufferReuse(boolean on) {
        return new LowerOptions(runtimeKernels, cleanup, fuse, on);
    }
}
