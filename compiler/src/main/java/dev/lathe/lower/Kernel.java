package dev.lathe.lower;

import dev.lathe.ir.Dim;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link KernelProgram}: a loop nest ({@link Loop}) or a call into a runtime kernel
 * (GEMM, batched matmul, conv2d, row-wise softmax and norms, attention). Buffers are named by their
 * index in {@link KernelProgram#buffers()}; sizes and offsets are symbolic {@link Dim}s evaluated at
 * run time. {@code label} says which Graph IR node(s) the kernel computes, for printing.
 */
public sealed interface Kernel {
    String label();

    /** Buffers this kernel reads. */
    List<Integer> reads();

    /** Buffers this kernel writes. */
    List<Integer> writes();

    /**
     * A reduction inside a loop nest: for every point of the outer loops, {@code acc} starts at
     * {@code init} (null: the identity of {@code op}) and combines {@link #value} over the loop
     * variables {@code n..n+extents-1} (n = number of outer loops) in row-major order; the loop body
     * then reads the result as {@link Scalar.Acc}. Float accumulators are double, integer ones long,
     * exactly as the interpreter sums.
     */
    record Reduction(ReduceOp op, List<Dim> extents, Scalar value, Scalar init) {
        public Reduction {
            Objects.requireNonNull(op, "op");
            extents = List.copyOf(extents);
            Objects.requireNonNull(value, "value");
        }
    }

    enum ReduceOp {
        SUM, MAX, MIN,
        /** The index (i64) of the first largest value (NaN counts as largest) over one variable. */
        ARGMAX
    }

    /**
     * {@code for i0 < extents[0], i1 < ...: out[outIndex] = body} where the body may read an
     * optional {@link Reduction}'s result. Every point of the loop nest is written exactly once.
     */
    record Loop(String label, int out, Affine outIndex, List<Dim> extents, Reduction reduction, Scalar body) implements Kernel {
        public Loop {
            Objects.requireNonNull(outIndex, "outIndex");
            extents = List.copyOf(extents);
            Objects.requireNonNull(body, "body");
        }

        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>();
            java.util.function.Consumer<Scalar> collect = s -> {
                if (s instanceof Scalar.Load l && !r.contains(l.buffer())) r.add(l.buffer());
            };
            Scalar.forEach(body, collect);
            if (reduction != null) {
                Scalar.forEach(reduction.value(), collect);
                if (reduction.init() != null) Scalar.forEach(reduction.init(), collect);
            }
            return r;
        }

        public List<Integer> writes() {
            return List.of(out);
        }

        public Loop withBody(Scalar newBody) {
            return new Loop(label, out, outIndex, extents, reduction, newBody);
        }
    }

    /**
     * {@code C[m, n] = act(A[m, k] · B + bias) + residual}: A row i at {@code aOff + i * lda}, C (and
     * the residual) row i at {@code cOff + i * ldc}. B is a weight packed at load time when
     * {@code packed} (then {@code ldb} is unused), else a [k, n] matrix at {@code bOff} with row stride
     * {@code ldb} ({@code transB}: stored [n, k]). {@code bias} (length n) and {@code residual} are -1 when absent.
     */
    record Gemm(String label, Dim m, Dim n, Dim k, int a, Dim aOff, Dim lda, int b, boolean packed, boolean transB, Dim bOff, Dim ldb,
                int c, Dim cOff, Dim ldc, int bias, String activation, int residual) implements Kernel {
        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(a, b));
            if (bias >= 0) r.add(bias);
            if (residual >= 0) r.add(residual);
            return r;
        }

        public List<Integer> writes() {
            return List.of(c);
        }

        public Gemm with(int newC, int newBias, String newActivation, int newResidual, String newLabel) {
            return new Gemm(newLabel, m, n, k, a, aOff, lda, b, packed, transB, bOff, ldb, newC, cOff, ldc, newBias, newActivation, newResidual);
        }
    }

    /**
     * {@code batch} products {@code C_t[m, n] = A_t[m, k] · B_t[k, n]}; matrix t of each operand starts
     * at {@code t * stride} (0 broadcasts); all dense row-major.
     */
    record BatchedMatMul(String label, Dim batch, Dim m, Dim n, Dim k, int a, Dim strideA, int b, Dim strideB, int c) implements Kernel {
        public List<Integer> reads() {
            return List.of(a, b);
        }

        public List<Integer> writes() {
            return List.of(c);
        }
    }

    /**
     * NCHW convolution (runtime {@code Conv2d.forward}): x [batch, cin, h, w], weight [cout, cin / groups,
     * kh, kw], bias [cout] or -1; stride [h, w], pads [top, left, bottom, right], dilation [h, w].
     */
    record Conv(String label, int x, Dim batch, Dim cin, Dim h, Dim w, int weight, Dim cout, Dim kh, Dim kw, int bias,
                List<Integer> stride, List<Integer> pads, List<Integer> dilation, int groups, String activation, int out) implements Kernel {
        public Conv {
            stride = List.copyOf(stride);
            pads = List.copyOf(pads);
            dilation = List.copyOf(dilation);
        }

        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(x, weight));
            if (bias >= 0) r.add(bias);
            return r;
        }

        public List<Integer> writes() {
            return List.of(out);
        }
    }

    enum RowOp { SOFTMAX, LOG_SOFTMAX, LAYER_NORM, RMS_NORM }

    /**
     * A row-wise op over the last dim of a [rows, cols] block: softmax, log-softmax, layer norm (weight
     * and bias of length cols, or -1) or RMS norm (weight of length cols).
     */
    record Rows(String label, RowOp op, int x, Dim rows, Dim cols, int weight, int bias, double eps, int out) implements Kernel {
        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(x));
            if (weight >= 0) r.add(weight);
            if (bias >= 0) r.add(bias);
            return r;
        }

        public List<Integer> writes() {
            return List.of(out);
        }
    }

    /**
     * Multi-head attention (runtime {@code Attention.forward}) on q [batch, sq, heads * dh], k [batch, sk,
     * heads * dh], v [batch, sk, heads * dv]; {@code scale} NaN means 1 / sqrt(dh). The mask (-1 if none)
     * is read at {@code maskStrides} (batch, head, query, key; 0 broadcasts), additive when
     * {@code additiveMask}, else bool.
     */
    record Attention(String label, int q, int k, int v, Dim batch, Dim sq, Dim sk, int heads, Dim dh, Dim dv, double scale, boolean causal,
                     int mask, boolean additiveMask, List<Dim> maskStrides, int out) implements Kernel {
        public Attention {
            maskStrides = List.copyOf(maskStrides);
        }

        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(q, k, v));
            if (mask >= 0) r.add(mask);
            return r;
        }

        public List<Integer> writes() {
            return List.of(out);
        }
    }

    /**
     * Linear-time attention (runtime {@code LinearAttention.forward}) on q [batch, sq, heads * dh], k [batch, sk,
     * heads * dh], v [batch, sk, heads * dv]: {@code method} is the ordinal of {@code Node.KernelMethod},
     * {@code size} its features, landmarks or window; {@code scale} NaN means 1 / sqrt(dh).
     */
    record LinearAttention(String label, int q, int k, int v, Dim batch, Dim sq, Dim sk, int heads, Dim dh, Dim dv, int method, int size, long seed,
                           boolean causal, double scale, int out) implements Kernel {
        public List<Integer> reads() {
            return List.of(q, k, v);
        }

        public List<Integer> writes() {
            return List.of(out);
        }
    }

    /**
     * A linear layer with a quantized weight (runtime {@code QuantGemm}): {@code c[m, n] = a[m, k] · deq(q)ᵀ + bias}
     * with {@code deq(q)[o, i] = (q[o, i] - zeros) * scales} of cell {@code (perRow ? o : 0, i / group)}.
     * {@code q} is a WEIGHT holding the packed integers (packing {@code quant:<dtype>:<k>}), {@code scales}
     * f32 and {@code zeros} (-1 when symmetric) [perRow ? n : 1, k / group]; {@code bias} is -1 when absent.
     * {@code dynamic}: activations are quantized per row to int8 at run time and the products are integer.
     * a and c are dense ([m, k] and [m, n] at offset 0).
     */
    record QuantGemm(String label, Dim m, Dim n, Dim k, int a, int q, int scales, int zeros, int bits, boolean signed, int group, boolean perRow,
                     boolean dynamic, int bias, int c) implements Kernel {
        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(a, q, scales));
            if (zeros >= 0) r.add(zeros);
            if (bias >= 0) r.add(bias);
            return r;
        }

        public List<Integer> writes() {
            return List.of(c);
        }
    }

    /**
     * {@code y[m, out] = x[m, in] · Wᵀ + bias} with W [out, in] sparse (runtime {@code SparseGemm}):
     * CSR when the block is 1x1 (N:M is stored as CSR with absolute columns), else BSR with
     * [blockRows, blockCols] blocks; {@code values} f32, {@code indices} and {@code pointers} i32
     * weights read as int[]. {@code dense} (-1 when absent) is the masked weight packed for the GEMM,
     * used instead when a call has at least {@code denseFromRows} rows (the cost model's crossover,
     * for a batch dim whose bounds straddle it). {@code bias} is -1 when absent; {@code activation} (a
     * runtime {@code Activation} name) is applied after the bias, as in {@link Gemm}.
     */
    record SparseGemm(String label, Dim m, int out, int in, int blockRows, int blockCols, int x, int values, int indices, int pointers, int bias,
                      int dense, int denseFromRows, String activation, int y) implements Kernel {
        public List<Integer> reads() {
            List<Integer> r = new java.util.ArrayList<>(List.of(x, values, indices, pointers));
            if (bias >= 0) r.add(bias);
            if (dense >= 0) r.add(dense);
            return r;
        }

        public List<Integer> writes() {
            return List.of(y);
        }
    }
}
