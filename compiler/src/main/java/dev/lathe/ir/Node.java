package dev.lathe.ir;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One operation of the Graph IR: a record per op (or per op family whose members differ only in
 * the scalar function, with an enum kind). Every compact constructor runs the op's typing rule in
 * {@link OpTyping} on its input types and checks that the output types equal the result, so an
 * ill-typed node cannot exist; a violation is an {@link IllegalArgumentException} (an internal
 * error: users reach nodes only through {@link GraphBuilder}, which reports {@link OpTypeException}).
 *
 * <p>Attributes are stored resolved: axes non-negative, reshape targets without {@code -1} or
 * {@code 0}, split sizes explicit, stride/padding/dilation as full lists.
 */
public sealed interface Node {
    /** The present tensor inputs, in signature order (absent optional inputs are left out). */
    List<Value> inputs();

    List<Value> outputs();

    Provenance provenance();

    /** The primitive's name in std/ops.model ({@code add}, {@code log_softmax}, {@code max_pool2d}). */
    String opName();

    /** Elementwise functions of one argument; all but NEG, ABS and RELU need a float input. */
    enum UnaryKind {
        NEG, ABS, EXP, LOG, SQRT, RSQRT, ERF, TANH, SIGMOID, RELU, SILU, SOFTPLUS;

        public String opName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether integer inputs are accepted too (the ONNX operator has integer versions). */
        public boolean acceptsIntegers() {
            return this == NEG || this == ABS || this == RELU;
        }
    }

    /** Elementwise functions of two arguments with numpy broadcasting. */
    enum BinaryKind {
        ADD, SUB, MUL, DIV, POW, MAX, MIN;

        public String opName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Comparisons; the result is bool. */
    enum CompareKind {
        EQUAL, LESS, GREATER;

        public String opName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum ReduceKind {
        SUM, MEAN, MAX, MIN;

        public String opName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum PoolKind {
        MAX, AVG;

        public String opName() {
            return name().toLowerCase(Locale.ROOT) + "_pool2d";
        }
    }

    /** A typing rule run by a constructor; its OpTypeException becomes an internal error. */
    @FunctionalInterface
    interface Rule {
        List<TensorType> apply() throws OpTypeException;
    }

    private static void check(String op, Rule rule, List<Value> outputs, Object... required) {
        for (Object o : required) Objects.requireNonNull(o, op + ": missing field");
        List<TensorType> expected;
        try {
            expected = rule.apply();
        } catch (OpTypeException e) {
            throw new IllegalArgumentException("ill-typed " + op + " node: " + e.getMessage(), e);
        }
        List<TensorType> actual = outputs.stream().map(Value::type).toList();
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException("ill-typed " + op + " node: outputs " + actual + ", typing rule gives " + expected);
        }
    }

    private static List<Value> present(Value... values) {
        List<Value> out = new ArrayList<>();
        for (Value v : values) {
            if (v != null) out.add(v);
        }
        return List.copyOf(out);
    }

    private static TensorType typeOf(Value v) {
        return v == null ? null : v.type();
    }

    record Unary(UnaryKind kind, Value x, Value out, Provenance provenance) implements Node {
        public Unary {
            check("unary", () -> List.of(OpTyping.unary(kind, x.type())), List.of(out), kind, x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return kind.opName(); }
    }

    /** [Gelu]: exact (erf) or, when {@code tanhApproximation}, the tanh approximation. */
    record Gelu(Value x, boolean tanhApproximation, Value out, Provenance provenance) implements Node {
        public Gelu {
            check("gelu", () -> List.of(OpTyping.floatElementwise("gelu", x.type())), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "gelu"; }
    }

    record LeakyRelu(Value x, double alpha, Value out, Provenance provenance) implements Node {
        public LeakyRelu {
            check("leaky_relu", () -> List.of(OpTyping.floatElementwise("leaky_relu", x.type())), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "leaky_relu"; }
    }

    /** [Clip] with compile-time bounds; a null bound does not clip. */
    record Clip(Value x, Double min, Double max, Value out, Provenance provenance) implements Node {
        public Clip {
            check("clip", () -> List.of(OpTyping.clip(x.type(), min, max)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "clip"; }
    }

    record Binary(BinaryKind kind, Value a, Value b, Value out, Provenance provenance) implements Node {
        public Binary {
            check("binary", () -> List.of(OpTyping.binary(kind, a.type(), b.type())), List.of(out), kind, a, b, out, provenance);
        }

        public List<Value> inputs() { return List.of(a, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return kind.opName(); }
    }

    record Compare(CompareKind kind, Value a, Value b, Value out, Provenance provenance) implements Node {
        public Compare {
            check("compare", () -> List.of(OpTyping.compare(kind, a.type(), b.type())), List.of(out), kind, a, b, out, provenance);
        }

        public List<Value> inputs() { return List.of(a, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return kind.opName(); }
    }

    record Where(Value cond, Value a, Value b, Value out, Provenance provenance) implements Node {
        public Where {
            check("where", () -> List.of(OpTyping.where(cond.type(), a.type(), b.type())), List.of(out), cond, a, b, out, provenance);
        }

        public List<Value> inputs() { return List.of(cond, a, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "where"; }
    }

    /** [MatMul] with batch broadcasting and 1-D promotion. */
    record MatMul(Value a, Value b, Value out, Provenance provenance) implements Node {
        public MatMul {
            check("matmul", () -> List.of(OpTyping.matmul(a.type(), b.type())), List.of(out), a, b, out, provenance);
        }

        public List<Value> inputs() { return List.of(a, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "matmul"; }
    }

    /** {@code x @ transpose(w) + b}: x [..., I], w [O, I], b [O] or null. */
    record Linear(Value x, Value w, Value b, Value out, Provenance provenance) implements Node {
        public Linear {
            check("linear", () -> List.of(OpTyping.linear(x.type(), w.type(), typeOf(b))), List.of(out), x, w, out, provenance);
        }

        public List<Value> inputs() { return present(x, w, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "linear"; }
    }

    /**
     * A linear layer whose weight is held factored, {@code W ~ B A} (made by the {@code lowrank}
     * pass, DESIGN.md §3): x [..., I], a [R, I], b [O, R], bias [O] or null gives
     * {@code (x @ transpose(a)) @ transpose(b) + bias}, [..., O]. Costs 2R(I + O) FLOPs per row
     * instead of 2IO, which is the point. Backends compute it as two GEMMs through an [..., R]
     * intermediate and never form W.
     */
    record LowRankLinear(Value x, Value a, Value b, Value bias, Value out, Provenance provenance) implements Node {
        public LowRankLinear {
            check("lowrank_linear", () -> List.of(OpTyping.lowRankLinear(x.type(), a.type(), b.type(), typeOf(bias))), List.of(out),
                    x, a, b, out, provenance);
        }

        /** The rank R of the factorization. */
        public long rank() {
            return a.type().staticShape()[0];
        }

        public List<Value> inputs() { return present(x, a, b, bias); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "lowrank_linear"; }
    }

    /**
     * A linear layer whose weight is held pruned and compressed (made by the {@code sparsify} pass,
     * DESIGN.md §3): x [..., I], the parts of {@link SparseFormat} ({@code values}, i32
     * {@code indices}, i32 {@code pointers} or null for N:M) for W [O, I], bias [O] or null gives
     * {@code x @ transpose(W) + bias}, [..., O], with W zero outside the stored entries. Costs
     * 2 nnz FLOPs per row.
     */
    record SparseLinear(Value x, SparseFormat format, Value values, Value indices, Value pointers, Value bias, Value out,
                        Provenance provenance) implements Node {
        public SparseLinear {
            check("sparse_linear", () -> List.of(OpTyping.sparseLinear(x.type(), format, values.type(), indices.type(), typeOf(pointers),
                    typeOf(bias))), List.of(out), x, format, values, indices, out, provenance);
        }

        /** The number of stored weights. */
        public long nnz() {
            long n = 1;
            for (long d : values.type().staticShape()) n *= d;
            return n;
        }

        public List<Value> inputs() { return present(x, values, indices, pointers, bias); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "sparse_linear"; }
    }

    /** How many weights share one scale of a {@link QuantizedLinear}: all, one output row, or a group of inputs in a row. */
    enum QuantGranularity {
        TENSOR, CHANNEL, GROUP;

        public String sourceName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A linear layer whose weight is held as integers (made by the {@code quantize} pass, DESIGN.md
     * §3): x [..., I], q [O, I] of i8 / i4 (symmetric, no zero points) or u8 / u4 (asymmetric,
     * {@code zeros} of q's dtype with the shape of {@code scales}), scales f32 [1, 1] (tensor),
     * [O, 1] (channel) or [O, I / group] (group), bias [O] or null. The weight it stands for is
     * {@code W[o, i] = (q[o, i] - zeros[s(o, i)]) * scales[s(o, i)]}, with {@code s(o, i)} the scale of
     * row o (row 0 for tensor) and column {@code i / group}; the result is {@code x @ transpose(W) + bias}.
     * {@code group} is the number of inputs sharing a scale: I for tensor and channel.
     * {@code dynamicActivations} (pass argument {@code activations = "dynamic"}): each row of x is first
     * quantized to symmetric int8 at run time and the products are integer
     * ({@link dev.lathe.interp.QuantOps#quantizedLinear} defines it exactly); x must then be a float type.
     */
    record QuantizedLinear(Value x, Value q, Value scales, Value zeros, Value bias, int bits, QuantGranularity granularity, long group,
                           Value out, Provenance provenance, boolean dynamicActivations) implements Node {
        public QuantizedLinear {
            check("quantized_linear", () -> List.of(OpTyping.quantizedLinear(x.type(), q.type(), scales.type(), typeOf(zeros), typeOf(bias), bits,
                    granularity, group)), List.of(out), x, q, scales, granularity, out, provenance);
            if (dynamicActivations && !x.type().dtype().isFloating()) {
                throw new IllegalArgumentException("quantized_linear: dynamic activations need a float x, got " + x.type());
            }
        }

        /** Weight-only quantization: activations stay float. */
        public QuantizedLinear(Value x, Value q, Value scales, Value zeros, Value bias, int bits, QuantGranularity granularity, long group,
                               Value out, Provenance provenance) {
            this(x, q, scales, zeros, bias, bits, granularity, group, out, provenance, false);
        }

        public List<Value> inputs() { return present(x, q, scales, zeros, bias); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "quantized_linear"; }
    }

    /**
     * Reduction over {@code axes}: sorted, distinct, non-negative; the empty source list ("all
     * dims") is stored as every axis, so an empty list here reduces nothing (a rank-0 input).
     */
    record Reduce(ReduceKind kind, Value x, List<Integer> axes, boolean keepdims, Value out, Provenance provenance) implements Node {
        public Reduce {
            axes = List.copyOf(axes);
            List<Integer> a = axes;
            check("reduce", () -> List.of(OpTyping.reduce(kind, x.type(), a, keepdims)), List.of(out), kind, x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return kind.opName(); }
    }

    /** [ArgMax] over one non-negative axis, first index on ties; i64 result. */
    record ArgMax(Value x, int axis, boolean keepdims, Value out, Provenance provenance) implements Node {
        public ArgMax {
            check("argmax", () -> List.of(OpTyping.argmax(x.type(), axis, keepdims)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "argmax"; }
    }

    /** [Softmax] or, when {@code log}, [LogSoftmax] over one non-negative axis. */
    record Softmax(Value x, int axis, boolean log, Value out, Provenance provenance) implements Node {
        public Softmax {
            check("softmax", () -> List.of(OpTyping.softmax(log ? "log_softmax" : "softmax", x.type(), axis)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return log ? "log_softmax" : "softmax"; }
    }

    /** [LayerNormalization] over dims {@code axis..rank-1} (axis non-negative); w and b broadcast to them. */
    record LayerNorm(Value x, Value w, Value b, int axis, double eps, Value out, Provenance provenance) implements Node {
        public LayerNorm {
            check("layer_norm", () -> List.of(OpTyping.layerNorm(x.type(), w.type(), typeOf(b), axis)), List.of(out), x, w, out, provenance);
        }

        public List<Value> inputs() { return present(x, w, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "layer_norm"; }
    }

    /** [RMSNormalization] over the last dim; w broadcasts to it. */
    record RmsNorm(Value x, Value w, double eps, Value out, Provenance provenance) implements Node {
        public RmsNorm {
            check("rms_norm", () -> List.of(OpTyping.rmsNorm(x.type(), w.type())), List.of(out), x, w, out, provenance);
        }

        public List<Value> inputs() { return List.of(x, w); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "rms_norm"; }
    }

    /** [BatchNormalization], inference form, channels on axis 1; the four vectors are [C]. */
    record BatchNorm(Value x, Value scale, Value bias, Value mean, Value var, double eps, Value out, Provenance provenance) implements Node {
        public BatchNorm {
            check("batch_norm", () -> List.of(OpTyping.batchNorm(x.type(), scale.type(), bias.type(), mean.type(), var.type())),
                    List.of(out), x, scale, bias, mean, var, out, provenance);
        }

        public List<Value> inputs() { return List.of(x, scale, bias, mean, var); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "batch_norm"; }
    }

    /** [Reshape] to {@code shape}, which has no {@code -1} or {@code 0} left (resolved by the builder). */
    record Reshape(Value x, List<Dim> shape, Value out, Provenance provenance) implements Node {
        public Reshape {
            shape = List.copyOf(shape);
            List<Dim> s = shape;
            check("reshape", () -> List.of(OpTyping.reshape(x.type(), s)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "reshape"; }
    }

    /** [Transpose]: output dim i is input dim {@code perm[i]}; perm is explicit (never empty for rank > 0). */
    record Transpose(Value x, List<Integer> perm, Value out, Provenance provenance) implements Node {
        public Transpose {
            perm = List.copyOf(perm);
            List<Integer> p = perm;
            check("transpose", () -> List.of(OpTyping.transpose(x.type(), p)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "transpose"; }
    }

    /** [Flatten] to 2-D at a non-negative axis in {@code [0, rank]}. */
    record Flatten(Value x, int axis, Value out, Provenance provenance) implements Node {
        public Flatten {
            check("flatten", () -> List.of(OpTyping.flatten(x.type(), axis)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "flatten"; }
    }

    record Concat(List<Value> xs, int axis, Value out, Provenance provenance) implements Node {
        public Concat {
            xs = List.copyOf(xs);
            List<Value> in = xs;
            check("concat", () -> List.of(OpTyping.concat(in.stream().map(Value::type).toList(), axis)), List.of(out), out, provenance);
        }

        public List<Value> inputs() { return xs; }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "concat"; }
    }

    /** [Split] into parts of the given sizes along a non-negative axis; one output per size. */
    record Split(Value x, List<Dim> sizes, int axis, List<Value> outs, Provenance provenance) implements Node {
        public Split {
            sizes = List.copyOf(sizes);
            outs = List.copyOf(outs);
            List<Dim> s = sizes;
            check("split", () -> OpTyping.split(x.type(), s, axis), outs, x, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return outs; }
        public String opName() { return "split"; }
    }

    /**
     * [Slice] on one non-negative axis with ONNX semantics: negative start/end count from the end,
     * both are clamped; an end at or beyond the dim (e.g. {@link Long#MAX_VALUE}) means "to the end".
     * start and end are kept as written (they may be symbolic); {@link OpTyping#slice} gives the length.
     */
    record Slice(Value x, int axis, Dim start, Dim end, long step, Value out, Provenance provenance) implements Node {
        public Slice {
            check("slice", () -> List.of(OpTyping.slice(x.type(), axis, start, end, step)), List.of(out), x, start, end, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "slice"; }
    }

    /** Removes the size-1 dims at {@code axes} (sorted, distinct, non-negative, input ranks). */
    record Squeeze(Value x, List<Integer> axes, Value out, Provenance provenance) implements Node {
        public Squeeze {
            axes = List.copyOf(axes);
            List<Integer> a = axes;
            check("squeeze", () -> List.of(OpTyping.squeeze(x.type(), a)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "squeeze"; }
    }

    /** Inserts size-1 dims at {@code axes} (sorted, distinct, non-negative, positions in the output). */
    record Unsqueeze(Value x, List<Integer> axes, Value out, Provenance provenance) implements Node {
        public Unsqueeze {
            axes = List.copyOf(axes);
            List<Integer> a = axes;
            check("unsqueeze", () -> List.of(OpTyping.unsqueeze(x.type(), a)), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "unsqueeze"; }
    }

    /** [Gather] along a non-negative axis; negative indices count from the end. */
    record Gather(Value x, Value idx, int axis, Value out, Provenance provenance) implements Node {
        public Gather {
            check("gather", () -> List.of(OpTyping.gather(x.type(), idx.type(), axis)), List.of(out), x, idx, out, provenance);
        }

        public List<Value> inputs() { return List.of(x, idx); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "gather"; }
    }

    /** Rows of {@code table [V, E]}: output {@code idx.shape + [E]}. */
    record Embedding(Value idx, Value table, Value out, Provenance provenance) implements Node {
        public Embedding {
            check("embedding", () -> List.of(OpTyping.embedding(idx.type(), table.type())), List.of(out), idx, table, out, provenance);
        }

        public List<Value> inputs() { return List.of(idx, table); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "embedding"; }
    }

    record Cast(Value x, DType dtype, Value out, Provenance provenance) implements Node {
        public Cast {
            check("cast", () -> List.of(OpTyping.cast(x.type(), dtype)), List.of(out), x, dtype, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "cast"; }
    }

    /**
     * [Conv] on NCHW: stride [h, w], pads [top, left, bottom, right], dilation [h, w]; w is
     * [O, C / groups, KH, KW]; b is [O] or null.
     */
    record Conv2d(Value x, Value w, Value b, List<Integer> stride, List<Integer> pads, List<Integer> dilation, int groups,
                  Value out, Provenance provenance) implements Node {
        public Conv2d {
            stride = List.copyOf(stride);
            pads = List.copyOf(pads);
            dilation = List.copyOf(dilation);
            List<Integer> s = stride, p = pads, d = dilation;
            check("conv2d", () -> List.of(OpTyping.conv2d(x.type(), w.type(), typeOf(b), s, p, d, groups)), List.of(out), x, w, out, provenance);
        }

        public List<Value> inputs() { return present(x, w, b); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "conv2d"; }
    }

    /**
     * [MaxPool] / [AveragePool] (count_include_pad = 0) on NCHW: kernel [h, w], stride [h, w],
     * pads [top, left, bottom, right].
     */
    record Pool2d(PoolKind kind, Value x, List<Integer> kernel, List<Integer> stride, List<Integer> pads, Value out,
                  Provenance provenance) implements Node {
        public Pool2d {
            kernel = List.copyOf(kernel);
            stride = List.copyOf(stride);
            pads = List.copyOf(pads);
            List<Integer> k = kernel, s = stride, p = pads;
            check("pool2d", () -> List.of(OpTyping.pool2d(kind, x.type(), k, s, p)), List.of(out), kind, x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return kind.opName(); }
    }

    record GlobalAvgPool(Value x, Value out, Provenance provenance) implements Node {
        public GlobalAvgPool {
            check("global_avg_pool", () -> List.of(OpTyping.globalAvgPool(x.type())), List.of(out), x, out, provenance);
        }

        public List<Value> inputs() { return List.of(x); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "global_avg_pool"; }
    }

    /**
     * Softmax attention: q [B, SQ, D], k [B, SK, D], v [B, SK, DV], each split into {@code heads}
     * heads; mask (bool: true = attend, or float: added to the scores) broadcasts to
     * [B, heads, SQ, SK] or is null; {@code causal} masks key positions after the query position.
     * {@code scale} is NaN when the source left it out and D / heads is symbolic: then it is
     * 1 / sqrt(D / heads), known only at run time ({@link #scaleFor}).
     */
    record Attention(Value q, Value k, Value v, Value mask, int heads, boolean causal, double scale, Value out,
                     Provenance provenance) implements Node {
        public Attention {
            check("attention", () -> List.of(OpTyping.attention(q.type(), k.type(), v.type(), typeOf(mask), heads)), List.of(out),
                    q, k, v, out, provenance);
        }

        /** The scale to use once the head dim {@code D / heads} is known. */
        public double scaleFor(long headDim) {
            return Double.isNaN(scale) ? 1.0 / Math.sqrt(headDim) : scale;
        }

        public List<Value> inputs() { return present(q, k, v, mask); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "attention"; }
    }

    /** The feature map or approximation of a {@link LinearAttention}. */
    enum KernelMethod {
        /** FAVOR+: positive orthogonal random features of the softmax kernel; size = features. */
        FAVOR,
        /** elu(x) + 1 feature map (Katharopoulos et al.); size unused (0). */
        ELU,
        /** Nystrom landmarks; size = landmarks. */
        NYSTROM,
        /** Exact softmax over a local window; size = window. */
        WINDOW;

        public String sourceName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kernelize argument {@code size} comes from: features, landmarks, window (none for elu). */
        public String sizeName() {
            return switch (this) {
                case FAVOR -> "features";
                case ELU -> "";
                case NYSTROM -> "landmarks";
                case WINDOW -> "window";
            };
        }
    }

    /**
     * Attention in linear time (made by the {@code kernelize} pass from an {@link Attention} without
     * a mask): q [B, SQ, D], k [B, SK, D], v [B, SK, DV] split into {@code heads} heads, with the
     * {@code method}'s approximation of softmax({@code scale} q k^T) v; {@code size} is the number of
     * features, landmarks or the window (0 for elu), {@code seed} seeds FAVOR+ features, {@code causal}
     * as in {@link Attention}. {@code scale} is NaN for 1 / sqrt(D / heads).
     */
    record LinearAttention(Value q, Value k, Value v, int heads, KernelMethod method, int size, long seed, boolean causal, double scale,
                           Value out, Provenance provenance) implements Node {
        public LinearAttention {
            check("linear_attention", () -> List.of(OpTyping.linearAttention(q.type(), k.type(), v.type(), heads, method, size)), List.of(out),
                    q, k, v, method, out, provenance);
        }

        /** The scale to use once the head dim {@code D / heads} is known. */
        public double scaleFor(long headDim) {
            return Double.isNaN(scale) ? 1.0 / Math.sqrt(headDim) : scale;
        }

        public List<Value> inputs() { return List.of(q, k, v); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "linear_attention"; }
    }

    /** A literal tensor; its type is the tensor's dtype and static shape. */
    record Constant(Tensor value, Value out, Provenance provenance) implements Node {
        public Constant {
            check("constant", () -> List.of(OpTyping.constant(value)), List.of(out), value, out, provenance);
        }

        public List<Value> inputs() { return List.of(); }
        public List<Value> outputs() { return List.of(out); }
        public String opName() { return "constant"; }
    }
}
