package dev.lathe.lower;

import dev.lathe.ir.Graph;

/**
 * Graph IR to Kernel IR (DESIGN.md §1, §3), the entry point of {@code dev.lathe.lower}:
 * cleanup (constant folding, CSE, DCE, batch norm folded into the conv before it), one or more kernels per node (runtime-kernel calls for f32
 * GEMM, conv, softmax, norms and attention; loop nests for everything else), fusion (GEMM epilogues,
 * elementwise chains), loop coalescing, and buffer planning.
 */
public final class Lowering {
    private Lowering() {}

    /**
     * Lowers a bound graph.
     *
     * @throws UnsupportedOpException for a node this backend does not compile
     */
    public static KernelProgram lower(Graph graph, LowerOptions options) {
        Graph g = options.cleanup() ? GraphCleanup.run(graph) : graph;
        // Folding rounds the folded weights once, so the exact loop-nest mode keeps the ops as they are.
        if (options.cleanup() && options.runtimeKernels()) g = FoldBatchNormIntoConv.run(g);
        KernelProgram p = new Lowerer(g, options).lower();
        if (options.fuse()) p = Fusion.run(p);
        p = Coalescing.run(p);
        return BufferPlanner.plan(p, options.reuseBuffers());
    }

    public static KernelProgram lower(Graph graph) {
        return lower(graph, LowerOptions.defaults());
    }
}
