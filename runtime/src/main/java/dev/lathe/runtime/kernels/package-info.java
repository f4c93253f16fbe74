/**
 * FP32 kernels that compiled models call: GEMM, batched matmul, conv2d, pooling, softmax, layer/RMS norm,
 * activations and attention. JDK only.
 *
 * <h2>API</h2>
 * All kernels are static methods on row-major {@code float[]} buffers with explicit offsets (and
 * leading dimensions where a matrix may be a slice), so generated code can pass slices of its planned
 * buffers without copying. Arguments are checked before anything is written (bad sizes:
 * {@link java.lang.IllegalArgumentException}; out of bounds: {@link java.lang.IndexOutOfBoundsException}).
 * <ul>
 *   <li>{@link dev.lathe.runtime.kernels.Gemm#pack Gemm.pack(w, off, rows, cols, transposed)} →
 *       {@link dev.lathe.runtime.kernels.PackedMatrix}: once per weight at load time; {@code transposed}
 *       for a linear weight [out, in] used as x·Wᵀ, plain for a [k, n] right operand.</li>
 *   <li>{@code Gemm.gemm(m, a, aOff, lda, packedB, c, cOff, ldc, epilogue, par)}:
 *       {@code C = act(A·B + bias) + residual} ({@link dev.lathe.runtime.kernels.Epilogue}).</li>
 *   <li>{@code Gemm.gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc[, epilogue, par])}:
 *       both operands unpacked (activation × activation).</li>
 *   <li>{@link dev.lathe.runtime.kernels.BatchedMatMul#matmul BatchedMatMul.matmul(batch, m, n, k, a, aOff,
 *       strideA, lda, transA, b, bOff, strideB, ldb, transB, c, cOff, strideC, ldc, par)}: stride 0 broadcasts.</li>
 *   <li>{@link dev.lathe.runtime.kernels.Conv2d#forward Conv2d.forward(x, xOff, batch, cin, h, w, weight, wOff,
 *       cout, kh, kw, bias, biasOff, geometry, act, out, outOff, par)}: NCHW, groups and depthwise
 *       ({@link dev.lathe.runtime.kernels.ConvGeometry}); {@code Conv2d.forwardMaxPool2x2(...)} (same arguments)
 *       also max-pools 2x2 at stride 2 without writing the convolution.</li>
 *   <li>{@link dev.lathe.runtime.kernels.Pool2d#forward Pool2d.forward(x, xOff, batch, channels, h, w, max, kh, kw,
 *       geometry, out, outOff, par)}: max or average pooling, the interpreter's padding rules.</li>
 *   <li>{@link dev.lathe.runtime.kernels.Softmax#rows Softmax.rows}/{@code logRows(x, off, rows, cols, out, outOff)},
 *       {@link dev.lathe.runtime.kernels.LayerNorm#rows LayerNorm.rows(x, off, rows, cols, w, b, eps, out, outOff)},
 *       {@link dev.lathe.runtime.kernels.RmsNorm#rows RmsNorm.rows(x, off, rows, cols, w, eps, out, outOff)}:
 *       over the last dim; in place allowed.</li>
 *   <li>{@link dev.lathe.runtime.kernels.Activations#apply Activations.apply(act, x, off, n, out, outOff)} and
 *       {@code Activations.exp(...)}.</li>
 *   <li>{@link dev.lathe.runtime.kernels.Attention#forward Attention.forward(q, qOff, k, kOff, v, vOff, batch, sq, sk,
 *       heads, dh, dv, scale, causal, mask, out, outOff, par)}: the IR's [B, S, heads*d] layout, the
 *       interpreter's causal and empty-row rules ({@link dev.lathe.runtime.kernels.AttentionMask}).</li>
 *   <li>{@link dev.lathe.runtime.kernels.Parallelism}: thread count plus a shared pool;
 *       {@code Parallelism.SERIAL}, {@code Parallelism.of(n)}.</li>
 * </ul>
 *
 * <h2>Scalar and vector implementations</h2>
 * Each kernel has a {@code *Scalar} class (plain Java) and a {@code *Vector} class (Vector API);
 * {@link dev.lathe.runtime.kernels.Kernels} picks one at start-up, vector when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}. The facades never name a vector type, so the runtime
 * loads and runs without the flag. Vector code follows DESIGN.md §6: vector values live in locals
 * inside the kernel loops (no helper takes or returns a {@code Vector}, which would box it when not
 * inlined), kernels are specialized per shape class (full tiles and edges in different methods), and
 * every method stays well below 8,000 bytes of bytecode so that C2 compiles it.
 *
 * <h2>Threads</h2>
 * Kernels that take a {@link dev.lathe.runtime.kernels.Parallelism} split their work into independent
 * tasks; calls whose work is below about a million flops per thread use fewer threads (waking a pool
 * worker costs microseconds). The thread count never changes results: each output element is computed
 * by one thread, in the same order whatever the split. Per-call scratch (packed operands, im2col
 * columns, attention tiles) comes from per-thread arrays that are reused, so steady-state calls do not
 * allocate large arrays.
 *
 * <h2>Accuracy</h2>
 * Every kernel, scalar and vector, agrees with a plain double-precision reference loop within
 * {@code abs 1e-5 + rel 1e-4} per element on inputs of order 1 (DESIGN.md §4). Reductions reorder sums
 * (blocked GEMM, lane-parallel sums), so for reductions longer than 64 terms the tests multiply that
 * tolerance by sqrt(length / 64). Activation accuracy is detailed on
 * {@link dev.lathe.runtime.kernels.Activations}.
 */
package dev.lathe.runtime.kernels;
