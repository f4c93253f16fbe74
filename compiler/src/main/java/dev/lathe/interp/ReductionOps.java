package dev.lathe.interp;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Reductions [ONNX ReduceSum ReduceMean ReduceMax ReduceMin ArgMax]. An empty {@code axes}
 * reduces every dim; negative axes count from the end; {@code keepdims} leaves reduced dims as 1.
 */
public final class ReductionOps {
    private ReductionOps() {}

    /** Sum; integer dtypes add in long and wrap to their width. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepdims) {
        return reduce("sum", x, axes, keepdims, Kind.SUM);
    }

    /** Mean; integer dtypes divide the long sum, truncating toward zero. */
    public static Tensor mean(Tensor x, int[] axes, boolean keepdims) {
        return reduce("mean", x, axes, keepdims, Kind.MEAN);
    }

    /** Maximum; NaN wins. Reducing zero elements gives -inf (the identity of max). */
    public static Tensor max(Tensor x, int[] axes, boolean keepdims) {
        return reduce("max", x, axes, keepdims, Kind.MAX);
    }

    public static Tensor min(Tensor x, int[] axes, boolean keepdims) {
        return reduce("min", x, axes, keepdims, Kind.MIN);
    }

    /**
     * [ArgMax] over one axis: the index of the largest element, the first one on ties (a NaN
     * counts as largest, as in numpy). Result dtype i64.
     */
    public static Tensor argmax(Tensor x, int axis, boolean keepdims) {
        int a = Axes.normalize("argmax", axis, x.rank());
        long[] shape = x.shape();
        int outer = Axes.product(shape, 0, a);
        int n = (int) shape[a];
        int inner = Axes.product(shape, a + 1, shape.length);
        if (n == 0) throw new InterpreterException("argmax: axis " + axis + " of " + Arrays.toString(shape) + " is empty");
        long[] out = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                for (int j = 1; j < n; j++) {
                    if (greater(x, (o * n + j) * inner + i, (o * n + best) * inner + i)) best = j;
                }
                out[o * inner + i] = best;
            }
        }
        return Tensor.ofLongs(DType.I64, reducedShape(shape, mask(a, shape.length), keepdims), out);
    }

    /** Whether element {@code i} beats the current best {@code j} (strictly, so the first of equals stays). */
    private static boolean greater(Tensor x, int i, int j) {
        if (x.dtype().isInteger()) return x.getLong(i) > x.getLong(j);
        double v = x.getDouble(i);
        double best = x.getDouble(j);
        if (Double.isNaN(best)) return false;
        return Double.isNaN(v) || v > best;
    }

    private enum Kind { SUM, MEAN, MAX, MIN }

    private static Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims, Kind kind) {
        long[] shape = x.shape();
        boolean[] reduced = axes.length == 0 ? all(shape.length) : Axes.mask(op, axes, shape.length);
        long[] outShape = reducedShape(shape, reduced, true);
        int[] target = targets(shape, outShape);
        int outSize = Broadcasting.size(outShape);
        int count = outSize == 0 ? 0 : x.size() / outSize;
        long[] finalShape = reducedShape(shape, reduced, keepdims);
        if (x.dtype().isInteger()) {
            long[] acc = new long[outSize];
            if (kind == Kind.MAX) Arrays.fill(acc, Long.MIN_VALUE);
            if (kind == Kind.MIN) Arrays.fill(acc, Long.MAX_VALUE);
            for (int i = 0; i < x.size(); i++) {
                long v = x.getLong(i);
                int t = target[i];
                acc[t] = switch (kind) {
                    case SUM, MEAN -> acc[t] + v;
                    case MAX -> Math.max(acc[t], v);
                    case MIN -> Math.min(acc[t], v);
                };
            }
            if (kind == Kind.MEAN) {
                if (count == 0) throw new InterpreterException("mean: no elements to average in " + Arrays.toString(shape));
                for (int t = 0; t < outSize; t++) acc[t] /= count;
            }
            return Store.longs(x.dtype(), finalShape, acc);
        }
        double[] acc = new double[outSize];
        if (kind == Kind.MAX) Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        if (kind == Kind.MIN) Arrays.fill(acc, Double.POSITIVE_INFINITY);
        for (int i = 0; i < x.size(); i++) {
            double v = x.getDouble(i);
            int t = target[i];
            acc[t] = switch (kind) {
                case SUM, MEAN -> acc[t] + v;
                case MAX -> Math.max(acc[t], v);
                case MIN -> Math.min(acc[t], v);
            };
        }
        // 0 / 0 = NaN: the mean of nothing is undefined, as in numpy.
        if (kind == Kind.MEAN) for (int t = 0; t < outSize; t++) acc[t] /= count;
        return Store.doubles(x.dtype(), finalShape, acc);
    }

    /** For each flat index of {@code shape}, the flat index in {@code outShape} (same rank, reduced dims 1). */
    private static int[] targets(long[] shape, long[] outShape) {
        int[] inStrides = Broadcasting.strides(shape);
        int[] outStrides = Broadcasting.strides(outShape);
        int[] target = new int[Broadcasting.size(shape)];
        for (int flat = 0; flat < target.length; flat++) {
            int t = 0;
            for (int d = 0; d < shape.length; d++) {
                if (outShape[d] != 1) t += (int) ((flat / inStrides[d]) % shape[d]) * outStrides[d];
            }
            target[flat] = t;
        }
        return target;
    }

    private static long[] reducedShape(long[] shape, boolean[] reduced, boolean keepdims) {
        return IntStream.range(0, shape.length)
                .filter(d -> keepdims || !reduced[d])
                .mapToLong(d -> reduced[d] ? 1 : shape[d])
                .toArray();
    }

    private static boolean[] all(int rank) {
        boolean[] m = new boolean[rank];
        Arrays.fill(m, true);
        return m;
    }

    private static boolean[] mask(int axis, int rank) {
        boolean[] m = new boolean[rank];
        m[axis] = true;
        return m;
    }
}
