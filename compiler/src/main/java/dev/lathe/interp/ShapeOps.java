package dev.lathe.interp;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape and data-movement ops [ONNX Reshape Transpose Flatten Concat Split Slice Squeeze Unsqueeze
 * Gather Cast]. Apart from {@code cast} they move stored elements without converting them, so they
 * are exact for every dtype.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /**
     * [Reshape, allowzero = 0]: a 0 copies the input dim at the same position, one -1 takes
     * whatever size is left. The element count must stay the same.
     */
    public static Tensor reshape(Tensor x, long[] shape) {
        long[] in = x.shape();
        long[] out = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                if (i >= in.length) throw new InterpreterException("reshape: 0 at position " + i + " has no input dim to copy in " + Arrays.toString(in));
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (inferred >= 0) throw new InterpreterException("reshape: more than one -1 in " + Arrays.toString(shape));
                inferred = i;
            } else if (out[i] < 0) {
                throw new InterpreterException("reshape: negative dim " + out[i] + " in " + Arrays.toString(shape));
            } else {
                known = Math.multiplyExact(known, out[i]);
            }
        }
        if (inferred >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new InterpreterException("reshape: cannot infer -1 in " + Arrays.toString(shape) + " for " + Arrays.toString(in) + " (" + x.size() + " elements)");
            }
            out[inferred] = x.size() / known;
        } else if (known != x.size()) {
            throw new InterpreterException("reshape: cannot reshape " + Arrays.toString(in) + " (" + x.size() + " elements) to "
                    + Arrays.toString(out) + " (" + known + " elements)");
        }
        return x.reshape(out);
    }

    /** [Transpose]: result dim i is input dim {@code perm[i]}; an empty perm reverses the dims. */
    public static Tensor transpose(Tensor x, int[] perm) {
        int rank = x.rank();
        int[] p = perm.length == 0 ? reversed(rank) : perm;
        boolean[] seen = new boolean[rank];
        boolean valid = p.length == rank;
        for (int i = 0; valid && i < rank; i++) {
            valid = p[i] >= 0 && p[i] < rank && !seen[p[i]];
            if (valid) seen[p[i]] = true;
        }
        if (!valid) throw new InterpreterException("transpose: " + Arrays.toString(perm) + " is not a permutation of " + rank + " dims");
        long[] in = x.shape();
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = in[p[i]];
        int[] inStrides = Broadcasting.strides(in);
        int[] outStrides = Broadcasting.strides(out);
        ElementBuffer buf = new ElementBuffer(x.dtype(), x.size());
        for (int f = 0; f < x.size(); f++) {
            int src = 0;
            for (int d = 0; d < rank; d++) src += (int) ((f / outStrides[d]) % out[d]) * inStrides[p[d]];
            buf.copy(f, x, src);
        }
        return buf.toTensor(out);
    }

    /** [Flatten]: {@code [prod(dims before axis), prod(dims from axis)]}; axis may equal the rank. */
    public static Tensor flatten(Tensor x, int axis) {
        int rank = x.rank();
        if (axis < -rank || axis > rank) throw new InterpreterException("flatten: axis " + axis + " is out of range for rank " + rank);
        int a = axis < 0 ? axis + rank : axis;
        long[] in = x.shape();
        return x.reshape(new long[] {Axes.product(in, 0, a), Axes.product(in, a, rank)});
    }

    /** [Concat]: all inputs agree on every dim but {@code axis}. */
    public static Tensor concat(List<Tensor> xs, int axis) {
        if (xs.isEmpty()) throw new IllegalArgumentException("concat: no inputs");
        Tensor first = xs.getFirst();
        int rank = first.rank();
        int a = Axes.normalize("concat", axis, rank);
        long[] out = first.shape();
        out[a] = 0;
        for (Tensor t : xs) {
            ElementwiseOps.requireSameDtype("concat", first, t);
            boolean fits = t.rank() == rank;
            for (int d = 0; fits && d < rank; d++) fits = d == a || t.dim(d) == first.dim(d);
            if (!fits) throw new InterpreterException("concat: " + Arrays.toString(t.shape()) + " does not match " + Arrays.toString(first.shape()) + " outside axis " + axis);
            out[a] += t.dim(a);
        }
        int outer = Axes.product(out, 0, a);
        int inner = Axes.product(out, a + 1, rank);
        ElementBuffer buf = new ElementBuffer(first.dtype(), Broadcasting.size(out));
        int f = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : xs) {
                // Each input contributes a contiguous block of dim(a) * inner elements per outer index.
                int block = (int) t.dim(a) * inner;
                for (int j = 0; j < block; j++) buf.copy(f++, t, o * block + j);
            }
        }
        return buf.toTensor(out);
    }

    /** [Split] into pieces of the given sizes along {@code axis}; the sizes must add up to the dim. */
    public static List<Tensor> split(Tensor x, long[] sizes, int axis) {
        int a = Axes.normalize("split", axis, x.rank());
        long total = 0;
        for (long s : sizes) {
            if (s < 0) throw new InterpreterException("split: negative size in " + Arrays.toString(sizes));
            total += s;
        }
        if (total != x.dim(a)) {
            throw new InterpreterException("split: sizes " + Arrays.toString(sizes) + " add up to " + total + ", not dim " + x.dim(a) + " of " + Arrays.toString(x.shape()));
        }
        List<Tensor> out = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            out.add(slice(x, a, start, start + s, 1));
            start += s;
        }
        return out;
    }

    /** Split into {@code parts} equal pieces; the dim must divide exactly (the typing rule's E0305, checked again at run time). */
    public static List<Tensor> splitParts(Tensor x, int parts, int axis) {
        int a = Axes.normalize("split", axis, x.rank());
        if (parts <= 0 || x.dim(a) % parts != 0) {
            throw new InterpreterException("split: dim " + x.dim(a) + " of " + Arrays.toString(x.shape()) + " does not split into " + parts + " equal parts");
        }
        long[] sizes = new long[parts];
        Arrays.fill(sizes, x.dim(a) / parts);
        return split(x, sizes, a);
    }

    /**
     * [Slice] on one axis. As in ONNX, negative start and end count from the end, and then both
     * are clamped: to {@code [0, dim]} for a positive step, to {@code [0, dim - 1]} (start) and
     * {@code [-1, dim - 1]} (end) for a negative one, where end -1 means "through index 0".
     */
    public static Tensor slice(Tensor x, int axis, long start, long end, long step) {
        int a = Axes.normalize("slice", axis, x.rank());
        if (step == 0) throw new InterpreterException("slice: step must not be 0");
        long dim = x.dim(a);
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = clamp(s, 0, dim);
            e = clamp(e, 0, dim);
        } else {
            s = clamp(s, 0, dim - 1);
            e = clamp(e, -1, dim - 1);
        }
        long count = step > 0 ? ceilDiv(e - s, step) : ceilDiv(s - e, -step);
        count = Math.max(count, 0);
        long[] in = x.shape();
        long[] out = in.clone();
        out[a] = count;
        int outer = Axes.product(in, 0, a);
        int inner = Axes.product(in, a + 1, in.length);
        ElementBuffer buf = new ElementBuffer(x.dtype(), Broadcasting.size(out));
        int f = 0;
        for (int o = 0; o < outer; o++) {
            for (long j = 0; j < count; j++) {
                long src = s + j * step;
                for (int i = 0; i < inner; i++) buf.copy(f++, x, (int) ((o * dim + src) * inner + i));
            }
        }
        return buf.toTensor(out);
    }

    /** [Squeeze]: removes the given dims, each of which must be 1; no axes removes every dim of 1. */
    public static Tensor squeeze(Tensor x, int[] axes) {
        long[] in = x.shape();
        boolean[] drop;
        if (axes.length == 0) {
            drop = new boolean[in.length];
            for (int d = 0; d < in.length; d++) drop[d] = in[d] == 1;
        } else {
            drop = Axes.mask("squeeze", axes, in.length);
            for (int d = 0; d < in.length; d++) {
                if (drop[d] && in[d] != 1) throw new InterpreterException("squeeze: dim " + d + " of " + Arrays.toString(in) + " is not 1");
            }
        }
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < in.length; d++) {
            if (!drop[d]) out.add(in[d]);
        }
        return x.reshape(out.stream().mapToLong(Long::longValue).toArray());
    }

    /** [Unsqueeze]: inserts dims of 1; {@code axes} index the result, whose rank is rank + axes.length. */
    public static Tensor unsqueeze(Tensor x, int[] axes) {
        int rank = x.rank() + axes.length;
        boolean[] added = Axes.mask("unsqueeze", axes, rank);
        long[] in = x.shape();
        long[] out = new long[rank];
        for (int d = 0, j = 0; d < rank; d++) out[d] = added[d] ? 1 : in[j++];
        return x.reshape(out);
    }

    /**
     * [Gather]: picks entries of {@code x} along {@code axis} by the integer indices {@code idx};
     * the result is {@code x.shape[:axis] + idx.shape + x.shape[axis+1:]}. Negative indices count
     * from the end; an index outside {@code [-dim, dim)} is an error.
     */
    public static Tensor gather(Tensor x, Tensor idx, int axis) {
        requireIntegerIndices("gather", idx);
        int a = Axes.normalize("gather", axis, x.rank());
        long[] in = x.shape();
        long dim = in[a];
        long[] out = new long[in.length - 1 + idx.rank()];
        System.arraycopy(in, 0, out, 0, a);
        System.arraycopy(idx.shape(), 0, out, a, idx.rank());
        System.arraycopy(in, a + 1, out, a + idx.rank(), in.length - a - 1);
        int outer = Axes.product(in, 0, a);
        int inner = Axes.product(in, a + 1, in.length);
        ElementBuffer buf = new ElementBuffer(x.dtype(), Broadcasting.size(out));
        int f = 0;
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < idx.size(); k++) {
                long i = idx.getLong(k);
                if (i < -dim || i >= dim) {
                    throw new InterpreterException("gather: index " + i + " is out of range for dim " + dim + " (axis " + axis + " of " + Arrays.toString(in) + ")");
                }
                long row = i < 0 ? i + dim : i;
                for (int j = 0; j < inner; j++) buf.copy(f++, x, (int) ((o * dim + row) * inner + j));
            }
        }
        return buf.toTensor(out);
    }

    /** Rows of {@code table: [V, E]} for {@code idx: [...]}, giving {@code [..., E]}; each index must be in {@code [0, V)}. */
    public static Tensor embedding(Tensor idx, Tensor table) {
        requireIntegerIndices("embedding", idx);
        if (table.rank() != 2) throw new InterpreterException("embedding: table must be [V, E], got " + Arrays.toString(table.shape()));
        long vocab = table.dim(0);
        for (int k = 0; k < idx.size(); k++) {
            long i = idx.getLong(k);
            if (i < 0 || i >= vocab) throw new InterpreterException("embedding: index " + i + " is out of range for a table of " + vocab + " rows");
        }
        return gather(table, idx, 0);
    }

    /**
     * [Cast]: floats round to the target float type; floats to integers truncate toward zero and
     * wrap to the target width (NaN gives 0); integers convert exactly between integer types;
     * anything to bool is {@code != 0}.
     */
    public static Tensor cast(Tensor x, DType target) {
        if (target == x.dtype()) return x;
        if (!x.dtype().isFloating() && !target.isFloating()) {
            return Store.longs(target, x.shape(), x.toLongArray());
        }
        return Store.doubles(target, x.shape(), x.toDoubleArray());
    }

    private static void requireIntegerIndices(String op, Tensor idx) {
        if (!idx.dtype().isInteger()) throw new IllegalArgumentException(op + ": indices must be integers, not " + idx.dtype().sourceName());
    }

    private static int[] reversed(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
        return p;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
