package dev.lathe.ir;

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The symbolic typing rule of every primitive op: result types from input types and resolved
 * attributes, or an {@link OpTypeException} a user can act on. {@link GraphBuilder} calls these
 * to type a call; every {@link Node} constructor calls the same rule to reject ill-typed nodes;
 * {@link IrVerifier} calls them again after passes. Axes here are already non-negative
 * ({@link #normalizeAxis} turns source axes into them).
 *
 * <p>Conventions: shapes broadcast as in numpy, where two dims agree when they are equal as
 * canonical {@link Dim}s or one of them is the constant 1 (two different symbolic dims are a
 * mismatch, never assumed equal). Float ops need float inputs; arithmetic needs numeric (non-bool)
 * inputs; binary ops need one element type (no implicit promotion, as in ONNX).
 */
public final class OpTyping {
    /** Every dim is below this (tensor sizes are Java ints), so larger slice bounds mean "the end". */
    static final long MAX_DIM = Integer.MAX_VALUE;

    private OpTyping() {}

    // ---- elementwise -------------------------------------------------------------------------

    public static TensorType unary(Node.UnaryKind kind, TensorType x) throws OpTypeException {
        if (kind.acceptsIntegers()) {
            requireNumeric(kind.opName(), x);
        } else {
            requireFloat(kind.opName(), x);
        }
        return x;
    }

    /** Float-only elementwise ops of one input ({@code gelu}, {@code leaky_relu}). */
    public static TensorType floatElementwise(String op, TensorType x) throws OpTypeException {
        requireFloat(op, x);
        return x;
    }

    public static TensorType clip(TensorType x, Double min, Double max) throws OpTypeException {
        requireNumeric("clip", x);
        if ((min != null && min.isNaN()) || (max != null && max.isNaN())) {
            throw new OpTypeException(ErrorCode.E0307, "clip bounds must be numbers, got min = " + min + ", max = " + max);
        }
        return x;
    }

    public static TensorType binary(Node.BinaryKind kind, TensorType a, TensorType b) throws OpTypeException {
        String op = kind.opName();
        requireNumeric(op, a);
        requireNumeric(op, b);
        requireSameDtype(op, a, b);
        return new TensorType(a.dtype(), broadcast(op, a, b));
    }

    public static TensorType compare(Node.CompareKind kind, TensorType a, TensorType b) throws OpTypeException {
        String op = kind.opName();
        if (kind != Node.CompareKind.EQUAL) {
            requireNumeric(op, a);
            requireNumeric(op, b);
        }
        requireSameDtype(op, a, b);
        return new TensorType(DType.BOOL, broadcast(op, a, b));
    }

    public static TensorType where(TensorType cond, TensorType a, TensorType b) throws OpTypeException {
        if (cond.dtype() != DType.BOOL) {
            throw new OpTypeException(ErrorCode.E0302, "where needs a bool condition, got " + cond);
        }
        requireSameDtype("where", a, b);
        List<Dim> ab = broadcastShapes(a.shape(), b.shape());
        List<Dim> all = ab == null ? null : broadcastShapes(cond.shape(), ab);
        if (all == null) {
            throw new OpTypeException(ErrorCode.E0301, "shape mismatch in where: " + cond + " vs " + a + " vs " + b);
        }
        return new TensorType(a.dtype(), all);
    }

    // ---- linear algebra ----------------------------------------------------------------------

    /** [MatMul]: a [..., M, K] @ b [..., K, N]; a 1-D a is [1, K], a 1-D b is [K, 1], and the added dim is dropped. */
    public static TensorType matmul(TensorType a, TensorType b) throws OpTypeException {
        requireNumeric("matmul", a);
        requireNumeric("matmul", b);
        requireSameDtype("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new OpTypeException(ErrorCode.E0303, "matmul needs inputs of rank at least 1, got " + a + " and " + b);
        }
        List<Dim> as = new ArrayList<>(a.shape());
        List<Dim> bs = new ArrayList<>(b.shape());
        boolean aVector = as.size() == 1;
        boolean bVector = bs.size() == 1;
        if (aVector) as.addFirst(Dim.of(1));
        if (bVector) bs.add(Dim.of(1));
        Dim k1 = as.get(as.size() - 1);
        Dim k2 = bs.get(bs.size() - 2);
        if (!k1.equals(k2)) throw mismatch("matmul", a, b);
        List<Dim> batch = broadcastShapes(as.subList(0, as.size() - 2), bs.subList(0, bs.size() - 2));
        if (batch == null) throw mismatch("matmul", a, b);
        List<Dim> out = new ArrayList<>(batch);
        if (!aVector) out.add(as.get(as.size() - 2));
        if (!bVector) out.add(bs.get(bs.size() - 1));
        return type("matmul", a.dtype(), out);
    }

    /** x [..., I] @ transpose(w [O, I]) + b [O] gives [..., O]. */
    public static TensorType linear(TensorType x, TensorType w, TensorType b) throws OpTypeException {
        requireNumeric("linear", x);
        requireSameDtype("linear", x, w);
        if (x.rank() == 0) throw new OpTypeException(ErrorCode.E0303, "linear needs an input of rank at least 1, got " + x);
        if (w.rank() != 2) throw new OpTypeException(ErrorCode.E0303, "linear needs a weight of rank 2 [out, in], got " + w);
        if (!x.dim(-1).equals(w.dim(1))) throw mismatch("linear", x, w);
        if (b != null) {
            requireSameDtype("linear", x, b);
            if (b.rank() != 1 || !b.dim(0).equals(w.dim(0))) throw mismatch("linear", w, b);
        }
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(out.size() - 1, w.dim(0));
        return new TensorType(x.dtype(), out);
    }

    /**
     * x [..., I] @ transpose(a [R, I]) @ transpose(b [O, R]) + bias [O] gives [..., O]: a
     * factored linear layer. The factors have static shapes (they are params).
     */
    public static TensorType lowRankLinear(TensorType x, TensorType a, TensorType b, TensorType bias) throws OpTypeException {
        String op = "lowrank_linear";
        requireFloat(op, x);
        requireSameDtype(op, x, a);
        requireSameDtype(op, x, b);
        if (x.rank() == 0) throw new OpTypeException(ErrorCode.E0303, op + " needs an input of rank at least 1, got " + x);
        if (a.rank() != 2 || !a.isStatic()) throw new OpTypeException(ErrorCode.E0303, op + " needs a static factor a [rank, in], got " + a);
        if (b.rank() != 2 || !b.isStatic()) throw new OpTypeException(ErrorCode.E0303, op + " needs a static factor b [out, rank], got " + b);
        if (!x.dim(-1).equals(a.dim(1))) throw mismatch(op, x, a);
        if (!a.dim(0).equals(b.dim(1))) throw mismatch(op, a, b);
        if (bias != null) {
            requireSameDtype(op, x, bias);
            if (bias.rank() != 1 || !bias.dim(0).equals(b.dim(0))) throw mismatch(op, b, bias);
        }
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(out.size() - 1, b.dim(0));
        return new TensorType(x.dtype(), out);
    }

    /** {@link Node.SparseLinear}: the parts must have the shapes {@link SparseFormat} gives them. */
    public static TensorType sparseLinear(TensorType x, SparseFormat f, TensorType values, TensorType indices, TensorType pointers,
                                          TensorType bias) throws OpTypeException {
        String op = "sparse_linear";
        requireFloat(op, x);
        requireSameDtype(op, x, values);
        if (x.rank() == 0) throw new OpTypeException(ErrorCode.E0303, op + " needs an input of rank at least 1, got " + x);
        if (!x.dim(-1).equals(Dim.of(f.cols()))) throw new OpTypeException(ErrorCode.E0301, "shape mismatch in " + op + ": " + x + " vs "
                + f + " weight [" + f.rows() + ", " + f.cols() + "]");
        if (!values.isStatic() || !indices.isStatic() || indices.dtype() != DType.I32) {
            throw new OpTypeException(ErrorCode.E0303, op + " needs static values and i32 indices, got " + values + ", " + indices);
        }
        if ((pointers != null) != f.hasPointers()) {
            throw new OpTypeException(ErrorCode.E0303, op + " " + f + " " + (f.hasPointers() ? "needs" : "takes no") + " row pointers");
        }
        long[] vs = values.staticShape();
        long[] is = indices.staticShape();
        long[] expectedIndices;
        long pointerCount = 0;
        switch (f.kind()) {
            case CSR -> {
                if (vs.length != 1) throw new OpTypeException(ErrorCode.E0303, op + " csr values must be [nnz], got " + values);
                expectedIndices = vs;
                pointerCount = f.rows() + 1;
            }
            case NM -> {
                long kept = f.cols() / f.m() * f.n();
                if (!java.util.Arrays.equals(vs, new long[] {f.rows(), kept})) {
                    throw new OpTypeException(ErrorCode.E0303, op + " " + f + " values must be [" + f.rows() + ", " + kept + "], got " + values);
                }
                expectedIndices = vs;
            }
            case BSR -> {
                if (vs.length != 3 || vs[1] != f.blockRows() || vs[2] != f.blockCols()) {
                    throw new OpTypeException(ErrorCode.E0303, op + " " + f + " values must be [nb, " + f.blockRows() + ", " + f.blockCols()
                            + "], got " + values);
                }
                expectedIndices = new long[] {vs[0]};
                pointerCount = f.rows() / f.blockRows() + 1;
            }
            default -> throw new AssertionError(f.kind());
        }
        if (!java.util.Arrays.equals(is, expectedIndices)) throw mismatch(op, values, indices);
        if (pointers != null && (pointers.dtype() != DType.I32 || !pointers.isStatic()
                || !java.util.Arrays.equals(pointers.staticShape(), new long[] {pointerCount}))) {
            throw new OpTypeException(ErrorCode.E0303, op + " " + f + " row pointers must be i32[" + pointerCount + "], got " + pointers);
        }
        if (bias != null) {
            requireSameDtype(op, x, bias);
            if (bias.rank() != 1 || !bias.dim(0).equals(Dim.of(f.rows()))) {
                throw new OpTypeException(ErrorCode.E0301, "shape mismatch in " + op + ": bias " + bias + " vs " + f.rows() + " outputs");
            }
        }
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(out.size() - 1, Dim.of(f.rows()));
        return new TensorType(x.dtype(), out);
    }

    /**
     * x [..., I] with a quantized weight q [O, I] (see {@link Node.QuantizedLinear}) gives [..., O]
     * in x's dtype; q, scales and zeros have static shapes (they are params).
     */
    public static TensorType quantizedLinear(TensorType x, TensorType q, TensorType scales, TensorType zeros, TensorType bias, int bits,
                                             Node.QuantGranularity granularity, long group) throws OpTypeException {
        return quantizedLinear(x, q, scales, zeros, bias, bits, granularity, group, null);
    }

    /**
     * As above; with {@code groupScales} (DGQ) the layer needs bits 4, group granularity, scales f32
     * [O, 1] (per channel) and groupScales u8 [O, I / group].
     */
    public static TensorType quantizedLinear(TensorType x, TensorType q, TensorType scales, TensorType zeros, TensorType bias, int bits,
                                             Node.QuantGranularity granularity, long group, TensorType groupScales) throws OpTypeException {
        String op = "quantized_linear";
        requireFloat(op, x);
        if (x.rank() == 0) throw new OpTypeException(ErrorCode.E0303, op + " needs an input of rank at least 1, got " + x);
        if (q.rank() != 2 || !q.isStatic()) throw new OpTypeException(ErrorCode.E0303, op + " needs static integer weights q [out, in], got " + q);
        if (bits != 8 && bits != 4) throw new OpTypeException(ErrorCode.E0303, op + " needs bits 8 or 4, got " + bits);
        DType signed = bits == 8 ? DType.I8 : DType.I4;
        DType unsigned = bits == 8 ? DType.U8 : DType.U4;
        DType expectedQ = zeros == null ? signed : unsigned;
        if (q.dtype() != expectedQ) {
            throw new OpTypeException(ErrorCode.E0302, op + " with bits = " + bits + (zeros == null ? " and no" : " and") + " zero points needs q of "
                    + expectedQ.sourceName() + ", got " + q);
        }
        long o = q.staticShape()[0];
        long in = q.staticShape()[1];
        if (!x.dim(-1).equals(q.dim(1))) throw mismatch(op, x, q);
        if (group < 1 || in % group != 0) throw new OpTypeException(ErrorCode.E0303, op + ": group " + group + " does not divide the " + in + " inputs");
        if (granularity != Node.QuantGranularity.GROUP && group != in) {
            throw new OpTypeException(ErrorCode.E0303, op + ": " + granularity.sourceName() + " granularity has one group of all " + in + " inputs, got " + group);
        }
        long[] expected = {granularity == Node.QuantGranularity.TENSOR ? 1 : o, in / group};
        if (groupScales != null) {
            if (bits != 4 || granularity != Node.QuantGranularity.GROUP) {
                throw new OpTypeException(ErrorCode.E0303, op + " with two-level scales (DGQ) needs bits 4 and group granularity");
            }
            if (groupScales.dtype() != DType.U8 || !groupScales.isStatic() || !java.util.Arrays.equals(groupScales.staticShape(), expected)) {
                throw new OpTypeException(ErrorCode.E0301, op + " needs group scales u8" + java.util.Arrays.toString(expected) + ", got " + groupScales);
            }
            expected = new long[] {o, 1};
            if (scales.dtype() != DType.F32 || !scales.isStatic() || !java.util.Arrays.equals(scales.staticShape(), expected)) {
                throw new OpTypeException(ErrorCode.E0301, op + " with group scales needs channel scales f32" + java.util.Arrays.toString(expected)
                        + ", got " + scales);
            }
            expected = groupScales.staticShape();
        } else if ((scales.dtype() != DType.F32 && scales.dtype() != DType.F16) || !scales.isStatic()
                || !java.util.Arrays.equals(scales.staticShape(), expected)) {
            throw new OpTypeException(ErrorCode.E0301, op + " needs scales f32 or f16" + java.util.Arrays.toString(expected) + ", got " + scales);
        }
        if (zeros != null && (zeros.dtype() != unsigned || !zeros.isStatic() || !java.util.Arrays.equals(zeros.staticShape(), expected))) {
            throw new OpTypeException(ErrorCode.E0301, op + " needs zero points " + unsigned.sourceName() + java.util.Arrays.toString(expected) + ", got " + zeros);
        }
        if (bias != null) {
            requireSameDtype(op, x, bias);
            if (bias.rank() != 1 || !bias.dim(0).equals(q.dim(0))) throw mismatch(op, q, bias);
        }
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(out.size() - 1, q.dim(0));
        return new TensorType(x.dtype(), out);
    }

    // ---- reductions and softmax --------------------------------------------------------------

    /** Reduces the given sorted, distinct, non-negative axes (all of them for "all dims"). */
    public static TensorType reduce(Node.ReduceKind kind, TensorType x, List<Integer> axes, boolean keepdims) throws OpTypeException {
        String op = kind.opName();
        if (kind == Node.ReduceKind.MEAN) {
            requireFloat(op, x);
        } else {
            requireNumeric(op, x);
        }
        requireSortedAxes(op, axes, x.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.dim(i));
            } else if (keepdims) {
                out.add(Dim.of(1));
            }
        }
        return new TensorType(x.dtype(), out);
    }

    public static TensorType argmax(TensorType x, int axis, boolean keepdims) throws OpTypeException {
        requireNumeric("argmax", x);
        requireAxis("argmax", axis, x.rank());
        List<Dim> out = new ArrayList<>(x.shape());
        if (keepdims) {
            out.set(axis, Dim.of(1));
        } else {
            out.remove(axis);
        }
        return new TensorType(DType.I64, out);
    }

    public static TensorType softmax(String op, TensorType x, int axis) throws OpTypeException {
        requireFloat(op, x);
        requireAxis(op, axis, x.rank());
        return x;
    }

    // ---- normalization -----------------------------------------------------------------------

    /** x normalized over dims {@code axis..}; w and b broadcast (one way) to those dims. */
    public static TensorType layerNorm(TensorType x, TensorType w, TensorType b, int axis) throws OpTypeException {
        requireFloat("layer_norm", x);
        requireAxis("layer_norm", axis, x.rank());
        List<Dim> normalized = x.shape().subList(axis, x.rank());
        requireSameDtype("layer_norm", x, w);
        if (!broadcastsTo(w.shape(), normalized)) throw mismatch("layer_norm", x, w);
        if (b != null) {
            requireSameDtype("layer_norm", x, b);
            if (!broadcastsTo(b.shape(), normalized)) throw mismatch("layer_norm", x, b);
        }
        return x;
    }

    public static TensorType rmsNorm(TensorType x, TensorType w) throws OpTypeException {
        requireFloat("rms_norm", x);
        if (x.rank() == 0) throw new OpTypeException(ErrorCode.E0303, "rms_norm needs an input of rank at least 1, got " + x);
        requireSameDtype("rms_norm", x, w);
        if (!broadcastsTo(w.shape(), List.of(x.dim(-1)))) throw mismatch("rms_norm", x, w);
        return x;
    }

    public static TensorType batchNorm(TensorType x, TensorType scale, TensorType bias, TensorType mean, TensorType var)
            throws OpTypeException {
        requireFloat("batch_norm", x);
        if (x.rank() < 2) throw new OpTypeException(ErrorCode.E0303, "batch_norm needs an input [N, C, ...], got " + x);
        for (TensorType v : List.of(scale, bias, mean, var)) {
            requireSameDtype("batch_norm", x, v);
            if (v.rank() != 1 || !v.dim(0).equals(x.dim(1))) throw mismatch("batch_norm", x, v);
        }
        return x;
    }

    // ---- shape ops ---------------------------------------------------------------------------

    /**
     * Replaces the source forms of a reshape target: {@code 0} copies the input dim at that
     * position, one {@code -1} is the input size divided exactly by the other target dims.
     */
    public static List<Dim> resolveReshape(TensorType x, List<Dim> target) throws OpTypeException {
        List<Dim> out = new ArrayList<>(target);
        int inferred = -1;
        for (int i = 0; i < out.size(); i++) {
            Dim d = out.get(i);
            if (!d.isConstant()) continue;
            long c = d.constant().getAsLong();
            if (c == 0) {
                if (i >= x.rank()) {
                    throw new OpTypeException(ErrorCode.E0307, "reshape target " + dims(target) + " copies dim " + i + " (0), but the input is " + x);
                }
                out.set(i, x.dim(i));
            } else if (c == -1) {
                if (inferred >= 0) throw new OpTypeException(ErrorCode.E0307, "reshape target " + dims(target) + " has more than one -1");
                inferred = i;
            } else if (c < 0) {
                throw new OpTypeException(ErrorCode.E0307, "reshape target " + dims(target) + " has the negative dim " + c);
            }
        }
        if (inferred >= 0) {
            Dim rest = Dim.of(1);
            for (int i = 0; i < out.size(); i++) {
                if (i != inferred) rest = rest.times(out.get(i));
            }
            Dim total = product(x.shape());
            Dim q = total.divExact(rest).orElse(null);
            if (q == null) {
                throw new OpTypeException(ErrorCode.E0305, "reshape of " + x + " to " + dims(target) + ": the size " + total
                        + " is not divisible by " + rest);
            }
            out.set(inferred, q);
        }
        return out;
    }

    /** Reshape to a resolved target; the sizes must be provably equal. */
    public static TensorType reshape(TensorType x, List<Dim> target) throws OpTypeException {
        for (Dim d : target) {
            if (d.isConstant() && d.constant().getAsLong() < 0) {
                throw new OpTypeException(ErrorCode.E0307, "reshape target " + dims(target) + " is not resolved (dim " + d + ")");
            }
        }
        TensorType out = type("reshape", x.dtype(), target);
        if (!product(x.shape()).equals(product(target))) {
            throw new OpTypeException(ErrorCode.E0301, "shape mismatch in reshape: " + x + " vs " + out
                    + " (sizes " + product(x.shape()) + " and " + product(target) + ")");
        }
        return out;
    }

    /** Output dim i is input dim {@code perm[i]}. */
    public static TensorType transpose(TensorType x, List<Integer> perm) throws OpTypeException {
        if (perm.size() != x.rank() || !new HashSet<>(perm).equals(range(x.rank()))) {
            throw new OpTypeException(ErrorCode.E0307, "transpose perm " + perm + " is not a permutation of the " + x.rank() + " dims of " + x);
        }
        List<Dim> out = new ArrayList<>();
        for (int p : perm) out.add(x.dim(p));
        return new TensorType(x.dtype(), out);
    }

    public static TensorType flatten(TensorType x, int axis) throws OpTypeException {
        if (axis < 0 || axis > x.rank()) {
            throw new OpTypeException(ErrorCode.E0303, "flatten axis " + axis + " is out of range for " + x);
        }
        return new TensorType(x.dtype(), List.of(product(x.shape().subList(0, axis)), product(x.shape().subList(axis, x.rank()))));
    }

    public static TensorType concat(List<TensorType> xs, int axis) throws OpTypeException {
        if (xs.isEmpty()) throw new OpTypeException(ErrorCode.E0307, "concat needs at least one input");
        TensorType first = xs.getFirst();
        requireAxis("concat", axis, first.rank());
        Dim total = Dim.of(0);
        for (TensorType t : xs) {
            requireSameDtype("concat", first, t);
            if (t.rank() != first.rank()) {
                throw new OpTypeException(ErrorCode.E0303, "rank mismatch in concat: " + first + " vs " + t);
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != axis && !t.dim(i).equals(first.dim(i))) throw mismatch("concat", first, t);
            }
            total = total.plus(t.dim(axis));
        }
        List<Dim> out = new ArrayList<>(first.shape());
        out.set(axis, total);
        return new TensorType(first.dtype(), out);
    }

    /** Sizes of {@code parts} equal parts of dim {@code axis} (exact division). */
    public static List<Dim> splitSizes(TensorType x, int axis, long parts) throws OpTypeException {
        requireAxis("split", axis, x.rank());
        if (parts < 1) throw new OpTypeException(ErrorCode.E0307, "split parts must be at least 1, got " + parts);
        Dim size = x.dim(axis).divExact(Dim.of(parts)).orElse(null);
        if (size == null) {
            throw new OpTypeException(ErrorCode.E0305, "split of " + x + " into " + parts + " parts: dim " + axis + " (" + x.dim(axis)
                    + ") is not divisible by " + parts);
        }
        List<Dim> sizes = new ArrayList<>();
        for (long i = 0; i < parts; i++) sizes.add(size);
        return sizes;
    }

    public static List<TensorType> split(TensorType x, List<Dim> sizes, int axis) throws OpTypeException {
        requireAxis("split", axis, x.rank());
        if (sizes.isEmpty()) throw new OpTypeException(ErrorCode.E0307, "split needs at least one part");
        Dim sum = Dim.of(0);
        for (Dim s : sizes) {
            if (!s.isProvablyNonNegative()) throw new OpTypeException(ErrorCode.E0307, "split size " + s + " is negative");
            sum = sum.plus(s);
        }
        if (!sum.equals(x.dim(axis))) {
            throw new OpTypeException(ErrorCode.E0307, "split sizes " + dims(sizes) + " add up to " + sum + ", but dim " + axis + " of "
                    + x + " is " + x.dim(axis));
        }
        List<TensorType> out = new ArrayList<>();
        for (Dim s : sizes) {
            List<Dim> shape = new ArrayList<>(x.shape());
            shape.set(axis, s);
            out.add(new TensorType(x.dtype(), shape));
        }
        return out;
    }

    /**
     * [Slice] with ONNX clamping. On a symbolic dim the bounds must be decidable under the
     * assumption that named dims are at least 1 ({@link Dim#isProvablyNonNegative}), else E0307:
     * {@code start = 0, end = 1} on {@code S} gives 1, {@code start = -1} gives {@code S - 1},
     * and a constant bound of at least 2^31 - 1 (no dim is that large) means "the end".
     */
    public static TensorType slice(TensorType x, int axis, Dim start, Dim end, long step) throws OpTypeException {
        requireAxis("slice", axis, x.rank());
        if (step == 0) throw new OpTypeException(ErrorCode.E0307, "slice step must not be 0");
        Dim n = x.dim(axis);
        Dim length;
        if (n.isZero()) {
            // The clamping ranges of a negative step, [0, n - 1] and [-1, n - 1], are empty here.
            length = n;
        } else if (step > 0) {
            Dim s = fromEnd(start, n, n, Dim.of(0));
            Dim e = fromEnd(end, n, n, Dim.of(0));
            // Clamping is monotone, so end <= start stays empty whatever the dim is.
            length = le(e, s) ? Dim.of(0)
                    : ceilDivNonNegative(clamp(e, Dim.of(0), n, x, start, end).minus(clamp(s, Dim.of(0), n, x, start, end)), step, x, start, end);
        } else {
            Dim last = n.minus(Dim.of(1));
            Dim s = fromEnd(start, n, last, Dim.of(0));
            Dim e = fromEnd(end, n, last, Dim.of(-1));
            // Start clamps to [0, n - 1] and end to [-1, n - 1]: both clamps agree on a start >= 0.
            length = le(s, e) && le(Dim.of(0), s) ? Dim.of(0)
                    : ceilDivNonNegative(clamp(s, Dim.of(0), last, x, start, end).minus(clamp(e, Dim.of(-1), last, x, start, end)), -step, x, start, end);
        }
        List<Dim> out = new ArrayList<>(x.shape());
        out.set(axis, length);
        return new TensorType(x.dtype(), out);
    }

    /** A negative constant counts from the end; huge constants stand for "past the end" / "before the start". */
    private static Dim fromEnd(Dim bound, Dim n, Dim pastEnd, Dim beforeStart) {
        if (!bound.isConstant()) return bound;
        long c = bound.constant().getAsLong();
        if (c >= MAX_DIM) return pastEnd;
        if (c <= -MAX_DIM) return beforeStart;
        return c < 0 ? n.plus(c) : bound;
    }

    private static Dim clamp(Dim v, Dim lo, Dim hi, TensorType x, Dim start, Dim end) throws OpTypeException {
        if (le(v, lo)) return lo;
        if (le(hi, v)) return hi;
        if (le(lo, v) && le(v, hi)) return v;
        throw unresolvedSlice(x, start, end);
    }

    private static Dim ceilDivNonNegative(Dim d, long step, TensorType x, Dim start, Dim end) throws OpTypeException {
        if (le(d, Dim.of(0))) return Dim.of(0);
        if (!d.isProvablyNonNegative()) throw unresolvedSlice(x, start, end);
        return step == 1 ? d : d.plus(step - 1).floorDiv(Dim.of(step));
    }

    private static OpTypeException unresolvedSlice(TensorType x, Dim start, Dim end) {
        return new OpTypeException(ErrorCode.E0307, "slice bounds start = " + start + ", end = " + end + " on " + x
                + " cannot be resolved at compile time");
    }

    private static boolean le(Dim a, Dim b) {
        return b.minus(a).isProvablyNonNegative();
    }

    /** Removes the given sorted, distinct, non-negative axes; each must be the constant 1. */
    public static TensorType squeeze(TensorType x, List<Integer> axes) throws OpTypeException {
        requireSortedAxes("squeeze", axes, x.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.dim(i));
            } else if (!x.dim(i).equals(Dim.of(1))) {
                throw new OpTypeException(ErrorCode.E0301, "shape mismatch in squeeze: dim " + i + " of " + x + " is " + x.dim(i) + ", not 1");
            }
        }
        return new TensorType(x.dtype(), out);
    }

    /** Inserts 1s at the given sorted, distinct, non-negative positions of the output. */
    public static TensorType unsqueeze(TensorType x, List<Integer> axes) throws OpTypeException {
        int rank = x.rank() + axes.size();
        requireSortedAxes("unsqueeze", axes, rank);
        List<Dim> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(axes.contains(i) ? Dim.of(1) : x.dim(next++));
        }
        return type("unsqueeze", x.dtype(), out);
    }

    /** x [pre..., N, post...] with idx [I...] gives [pre..., I..., post...]. */
    public static TensorType gather(TensorType x, TensorType idx, int axis) throws OpTypeException {
        requireInteger("gather", idx);
        requireAxis("gather", axis, x.rank());
        List<Dim> out = new ArrayList<>(x.shape().subList(0, axis));
        out.addAll(idx.shape());
        out.addAll(x.shape().subList(axis + 1, x.rank()));
        return type("gather", x.dtype(), out);
    }

    /** idx [I...] with table [V, E] gives [I..., E]. */
    public static TensorType embedding(TensorType idx, TensorType table) throws OpTypeException {
        requireInteger("embedding", idx);
        if (table.rank() != 2) throw new OpTypeException(ErrorCode.E0303, "embedding needs a table of rank 2 [vocab, dim], got " + table);
        List<Dim> out = new ArrayList<>(idx.shape());
        out.add(table.dim(1));
        return type("embedding", table.dtype(), out);
    }

    public static TensorType cast(TensorType x, DType dtype) {
        return x.withDtype(dtype);
    }

    // ---- convolution and pooling -------------------------------------------------------------

    /** Output size of one spatial dim: {@code (in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride + 1}, floored. */
    public static Dim convOutputSize(Dim in, Dim kernel, int stride, int padBefore, int padAfter, int dilation) {
        Dim span = kernel.minus(Dim.of(1)).times(dilation).plus(1);
        return in.plus(padBefore + (long) padAfter).minus(span).floorDiv(Dim.of(stride)).plus(1);
    }

    public static TensorType conv2d(TensorType x, TensorType w, TensorType b, List<Integer> stride, List<Integer> pads,
                                    List<Integer> dilation, int groups) throws OpTypeException {
        requireFloat("conv2d", x);
        requireSameDtype("conv2d", x, w);
        if (x.rank() != 4) throw new OpTypeException(ErrorCode.E0303, "conv2d needs an input [N, C, H, W], got " + x);
        if (w.rank() != 4) throw new OpTypeException(ErrorCode.E0303, "conv2d needs a weight [O, C / groups, KH, KW], got " + w);
        requireWindow("conv2d", "stride", stride, 2, 1);
        requireWindow("conv2d", "dilation", dilation, 2, 1);
        requireWindow("conv2d", "padding", pads, 4, 0);
        if (groups < 1) throw new OpTypeException(ErrorCode.E0307, "conv2d groups must be at least 1, got " + groups);
        Dim c = x.dim(1);
        Dim o = w.dim(0);
        if (c.isConstant() && c.constant().getAsLong() % groups != 0) {
            throw new OpTypeException(ErrorCode.E0307, "conv2d groups = " + groups + " does not divide the " + c + " input channels of " + x);
        }
        if (o.isConstant() && o.constant().getAsLong() % groups != 0) {
            throw new OpTypeException(ErrorCode.E0307, "conv2d groups = " + groups + " does not divide the " + o + " output channels of " + w);
        }
        if (!w.dim(1).times(groups).equals(c)) throw mismatch("conv2d", x, w);
        if (b != null) {
            requireSameDtype("conv2d", x, b);
            if (b.rank() != 1 || !b.dim(0).equals(o)) throw mismatch("conv2d", w, b);
        }
        Dim h = convOutputSize(x.dim(2), w.dim(2), stride.get(0), pads.get(0), pads.get(2), dilation.get(0));
        Dim wd = convOutputSize(x.dim(3), w.dim(3), stride.get(1), pads.get(1), pads.get(3), dilation.get(1));
        requirePositiveSpatial("conv2d", x, h, wd);
        return new TensorType(x.dtype(), List.of(x.dim(0), o, h, wd));
    }

    public static TensorType pool2d(Node.PoolKind kind, TensorType x, List<Integer> kernel, List<Integer> stride, List<Integer> pads)
            throws OpTypeException {
        String op = kind.opName();
        requireFloat(op, x);
        if (x.rank() != 4) throw new OpTypeException(ErrorCode.E0303, op + " needs an input [N, C, H, W], got " + x);
        requireWindow(op, "kernel", kernel, 2, 1);
        requireWindow(op, "stride", stride, 2, 1);
        requireWindow(op, "padding", pads, 4, 0);
        for (int i = 0; i < 4; i++) {
            // A pad as large as the kernel gives windows of padding only: no max, and 0 / 0 for the average.
            if (pads.get(i) >= kernel.get(i % 2)) {
                throw new OpTypeException(ErrorCode.E0307, op + " padding " + pads + " must be smaller than the kernel " + kernel);
            }
        }
        Dim h = convOutputSize(x.dim(2), Dim.of(kernel.get(0)), stride.get(0), pads.get(0), pads.get(2), 1);
        Dim wd = convOutputSize(x.dim(3), Dim.of(kernel.get(1)), stride.get(1), pads.get(1), pads.get(3), 1);
        requirePositiveSpatial(op, x, h, wd);
        return new TensorType(x.dtype(), List.of(x.dim(0), x.dim(1), h, wd));
    }

    public static TensorType globalAvgPool(TensorType x) throws OpTypeException {
        requireFloat("global_avg_pool", x);
        if (x.rank() != 4) throw new OpTypeException(ErrorCode.E0303, "global_avg_pool needs an input [N, C, H, W], got " + x);
        return new TensorType(x.dtype(), List.of(x.dim(0), x.dim(1), Dim.of(1), Dim.of(1)));
    }

    // ---- attention ---------------------------------------------------------------------------

    /** q [B, SQ, D], k [B, SK, D], v [B, SK, DV] with D and DV divisible by heads give [B, SQ, DV]. */
    public static TensorType attention(TensorType q, TensorType k, TensorType v, TensorType mask, int heads) throws OpTypeException {
        requireFloat("attention", q);
        requireSameDtype("attention", q, k);
        requireSameDtype("attention", q, v);
        for (TensorType t : List.of(q, k, v)) {
            if (t.rank() != 3) throw new OpTypeException(ErrorCode.E0303, "attention needs inputs [B, S, D], got " + t);
        }
        if (heads < 1) throw new OpTypeException(ErrorCode.E0307, "attention heads must be at least 1, got " + heads);
        if (!q.dim(0).equals(k.dim(0)) || !q.dim(2).equals(k.dim(2))) throw mismatch("attention", q, k);
        if (!k.dim(0).equals(v.dim(0)) || !k.dim(1).equals(v.dim(1))) throw mismatch("attention", k, v);
        headDim(q.dim(2), heads, q);
        headDim(v.dim(2), heads, v);
        if (mask != null) {
            if (mask.dtype() != DType.BOOL && mask.dtype() != q.dtype()) {
                throw new OpTypeException(ErrorCode.E0302, "attention mask must be bool or " + q.dtype().sourceName() + ", got " + mask);
            }
            List<Dim> scores = List.of(q.dim(0), Dim.of(heads), q.dim(1), k.dim(1));
            if (!broadcastsTo(mask.shape(), scores)) {
                throw new OpTypeException(ErrorCode.E0301, "shape mismatch in attention: mask " + mask + " vs scores "
                        + new TensorType(mask.dtype(), scores));
            }
        }
        return new TensorType(q.dtype(), List.of(q.dim(0), q.dim(1), v.dim(2)));
    }

    /** {@link Node.LinearAttention}: attention without a mask; FAVOR+, Nystrom and window need size >= 1. */
    public static TensorType linearAttention(TensorType q, TensorType k, TensorType v, int heads, Node.KernelMethod method, int size)
            throws OpTypeException {
        if (method == Node.KernelMethod.ELU ? size != 0 : size < 1) {
            throw new OpTypeException(ErrorCode.E0307, "linear_attention " + method.sourceName() + " size must be "
                    + (method == Node.KernelMethod.ELU ? "0" : "at least 1") + ", got " + size);
        }
        return attention(q, k, v, null, heads);
    }

    /** {@code d / heads}, E0305 when it provably does not divide. */
    public static Dim headDim(Dim d, int heads, TensorType of) throws OpTypeException {
        Dim hd = d.divExact(Dim.of(heads)).orElse(null);
        if (hd == null) {
            throw new OpTypeException(ErrorCode.E0305, "attention: dim " + d + " of " + of + " is not divisible by heads = " + heads);
        }
        return hd;
    }

    public static TensorType constant(Tensor value) {
        return TensorType.of(value.dtype(), value.shape());
    }

    /**
     * The typing rule of an existing node, run on its input types and stored attributes: what
     * its outputs must be. Used by {@link IrVerifier} to re-check nodes made by passes.
     */
    public static List<TensorType> resultTypes(Node node) throws OpTypeException {
        return switch (node) {
            case Node.Unary n -> List.of(unary(n.kind(), n.x().type()));
            case Node.Gelu n -> List.of(floatElementwise("gelu", n.x().type()));
            case Node.LeakyRelu n -> List.of(floatElementwise("leaky_relu", n.x().type()));
            case Node.Clip n -> List.of(clip(n.x().type(), n.min(), n.max()));
            case Node.Binary n -> List.of(binary(n.kind(), n.a().type(), n.b().type()));
            case Node.Compare n -> List.of(compare(n.kind(), n.a().type(), n.b().type()));
            case Node.Where n -> List.of(where(n.cond().type(), n.a().type(), n.b().type()));
            case Node.MatMul n -> List.of(matmul(n.a().type(), n.b().type()));
            case Node.Linear n -> List.of(linear(n.x().type(), n.w().type(), typeOf(n.b())));
            case Node.LowRankLinear n -> List.of(lowRankLinear(n.x().type(), n.a().type(), n.b().type(), typeOf(n.bias())));
            case Node.QuantizedLinear n -> List.of(quantizedLinear(n.x().type(), n.q().type(), n.scales().type(), typeOf(n.zeros()),
                    typeOf(n.bias()), n.bits(), n.granularity(), n.group(), typeOf(n.groupScales())));
            case Node.SparseLinear n -> List.of(sparseLinear(n.x().type(), n.format(), n.values().type(), n.indices().type(), typeOf(n.pointers()),
                    typeOf(n.bias())));
            case Node.Reduce n -> List.of(reduce(n.kind(), n.x().type(), n.axes(), n.keepdims()));
            case Node.ArgMax n -> List.of(argmax(n.x().type(), n.axis(), n.keepdims()));
            case Node.Softmax n -> List.of(softmax(n.opName(), n.x().type(), n.axis()));
            case Node.LayerNorm n -> List.of(layerNorm(n.x().type(), n.w().type(), typeOf(n.b()), n.axis()));
            case Node.RmsNorm n -> List.of(rmsNorm(n.x().type(), n.w().type()));
            case Node.BatchNorm n -> List.of(batchNorm(n.x().type(), n.scale().type(), n.bias().type(), n.mean().type(), n.var().type()));
            case Node.Reshape n -> List.of(reshape(n.x().type(), n.shape()));
            case Node.Transpose n -> List.of(transpose(n.x().type(), n.perm()));
            case Node.Flatten n -> List.of(flatten(n.x().type(), n.axis()));
            case Node.Concat n -> List.of(concat(n.xs().stream().map(Value::type).toList(), n.axis()));
            case Node.Split n -> split(n.x().type(), n.sizes(), n.axis());
            case Node.Slice n -> List.of(slice(n.x().type(), n.axis(), n.start(), n.end(), n.step()));
            case Node.Squeeze n -> List.of(squeeze(n.x().type(), n.axes()));
            case Node.Unsqueeze n -> List.of(unsqueeze(n.x().type(), n.axes()));
            case Node.Gather n -> List.of(gather(n.x().type(), n.idx().type(), n.axis()));
            case Node.Embedding n -> List.of(embedding(n.idx().type(), n.table().type()));
            case Node.Cast n -> List.of(cast(n.x().type(), n.dtype()));
            case Node.Conv2d n -> List.of(conv2d(n.x().type(), n.w().type(), typeOf(n.b()), n.stride(), n.pads(), n.dilation(), n.groups()));
            case Node.Pool2d n -> List.of(pool2d(n.kind(), n.x().type(), n.kernel(), n.stride(), n.pads()));
            case Node.GlobalAvgPool n -> List.of(globalAvgPool(n.x().type()));
            case Node.Attention n -> List.of(attention(n.q().type(), n.k().type(), n.v().type(), typeOf(n.mask()), n.heads()));
            case Node.LinearAttention n -> List.of(linearAttention(n.q().type(), n.k().type(), n.v().type(), n.heads(), n.method(), n.size()));
            case Node.Constant n -> List.of(constant(n.value()));
        };
    }

    private static TensorType typeOf(Value v) {
        return v == null ? null : v.type();
    }

    // ---- broadcasting and shared checks ------------------------------------------------------

    /** The numpy broadcast of two shapes, or E0301 naming both types. */
    public static List<Dim> broadcast(String op, TensorType a, TensorType b) throws OpTypeException {
        List<Dim> out = broadcastShapes(a.shape(), b.shape());
        if (out == null) throw mismatch(op, a, b);
        return out;
    }

    /** The numpy broadcast of two shapes, or null when they do not broadcast. */
    static List<Dim> broadcastShapes(List<Dim> a, List<Dim> b) {
        int rank = Math.max(a.size(), b.size());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.size());
            int ib = i - (rank - b.size());
            Dim da = ia < 0 ? Dim.of(1) : a.get(ia);
            Dim db = ib < 0 ? Dim.of(1) : b.get(ib);
            if (da.equals(db) || isOne(db)) {
                out.add(da);
            } else if (isOne(da)) {
                out.add(db);
            } else {
                return null;
            }
        }
        return out;
    }

    /** Whether {@code from} broadcasts to exactly {@code to} (one way, as ONNX's unidirectional broadcast). */
    static boolean broadcastsTo(List<Dim> from, List<Dim> to) {
        List<Dim> out = broadcastShapes(from, to);
        return out != null && out.equals(to);
    }

    /**
     * A source axis (negative counts from the end) as a non-negative axis of a tensor of
     * {@code rank}; E0303 when out of range, E0307 when not a constant.
     */
    public static int normalizeAxis(String op, Dim axis, int rank) throws OpTypeException {
        if (!axis.isConstant()) throw new OpTypeException(ErrorCode.E0307, op + " axis must be a constant, got " + axis);
        long a = axis.constant().getAsLong();
        if (a < -rank || a >= rank) {
            throw new OpTypeException(ErrorCode.E0303, op + " axis " + a + " is out of range for rank " + rank);
        }
        return (int) (a < 0 ? a + rank : a);
    }

    /** Source axes as a sorted list of distinct non-negative axes; duplicates are E0307. */
    public static List<Integer> normalizeAxes(String op, List<Dim> axes, int rank) throws OpTypeException {
        List<Integer> out = new ArrayList<>();
        for (Dim a : axes) {
            int n = normalizeAxis(op, a, rank);
            if (out.contains(n)) throw new OpTypeException(ErrorCode.E0307, op + " axes " + dims(axes) + " repeat axis " + n);
            out.add(n);
        }
        out.sort(null);
        return out;
    }

    private static void requireAxis(String op, int axis, int rank) throws OpTypeException {
        if (axis < 0 || axis >= rank) throw new OpTypeException(ErrorCode.E0303, op + " axis " + axis + " is out of range for rank " + rank);
    }

    private static void requireSortedAxes(String op, List<Integer> axes, int rank) throws OpTypeException {
        for (int i = 0; i < axes.size(); i++) {
            requireAxis(op, axes.get(i), rank);
            if (i > 0 && axes.get(i) <= axes.get(i - 1)) {
                throw new OpTypeException(ErrorCode.E0307, op + " axes " + axes + " must be sorted and distinct");
            }
        }
    }

    private static void requireWindow(String op, String name, List<Integer> values, int size, int min) throws OpTypeException {
        if (values.size() != size || values.stream().anyMatch(v -> v == null || v < min)) {
            throw new OpTypeException(ErrorCode.E0307, op + " " + name + " must be " + size + " values of at least " + min + ", got " + values);
        }
    }

    private static void requirePositiveSpatial(String op, TensorType x, Dim h, Dim w) throws OpTypeException {
        for (Dim d : List.of(h, w)) {
            if (d.isConstant() && d.constant().getAsLong() < 1) {
                throw new OpTypeException(ErrorCode.E0301, "shape mismatch in " + op + ": " + x + " is too small for the window (output "
                        + h + " x " + w + ")");
            }
        }
    }

    private static void requireFloat(String op, TensorType t) throws OpTypeException {
        if (!t.dtype().isFloating()) throw new OpTypeException(ErrorCode.E0302, op + " needs a float input, got " + t);
    }

    private static void requireNumeric(String op, TensorType t) throws OpTypeException {
        if (t.dtype() == DType.BOOL) throw new OpTypeException(ErrorCode.E0302, op + " needs a numeric input, got " + t);
    }

    private static void requireInteger(String op, TensorType t) throws OpTypeException {
        if (!t.dtype().isInteger()) throw new OpTypeException(ErrorCode.E0302, op + " needs integer indices, got " + t);
    }

    private static void requireSameDtype(String op, TensorType a, TensorType b) throws OpTypeException {
        if (a.dtype() != b.dtype()) throw new OpTypeException(ErrorCode.E0302, "element type mismatch in " + op + ": " + a + " vs " + b);
    }

    private static OpTypeException mismatch(String op, TensorType a, TensorType b) {
        return new OpTypeException(ErrorCode.E0301, "shape mismatch in " + op + ": " + a + " vs " + b);
    }

    /** A result type, E0703 when its rank is above the limit. */
    private static TensorType type(String op, DType dtype, List<Dim> shape) throws OpTypeException {
        if (shape.size() > Tensor.MAX_RANK) {
            throw new OpTypeException(ErrorCode.E0703, op + " result " + dims(shape) + " has rank " + shape.size() + ", above the limit of "
                    + Tensor.MAX_RANK);
        }
        return new TensorType(dtype, shape);
    }

    static Dim product(List<Dim> dims) {
        Dim p = Dim.of(1);
        for (Dim d : dims) p = p.times(d);
        return p;
    }

    private static boolean isOne(Dim d) {
        return d.isConstant() && d.constant().getAsLong() == 1;
    }

    private static Set<Integer> range(int n) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < n; i++) s.add(i);
        return s;
    }

    static String dims(List<Dim> dims) {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
