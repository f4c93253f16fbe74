package dev.lathe.interp;

import java.util.Arrays;

/**
 * Numpy broadcasting of shapes and the index maps it induces, plus row-major strides. Shapes are
 * aligned at their last dims; a dim of 1 stretches to any size; missing leading dims count as 1.
 */
public final class Broadcasting {
    private Broadcasting() {}

    /** The broadcast shape of all {@code shapes}, or an {@link InterpreterException} naming {@code op}. */
    public static long[] shape(String op, long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) rank = Math.max(rank, s.length);
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] == out[o] || s[i] == 1) continue;
                if (out[o] != 1) {
                    throw new InterpreterException(op + ": shapes " + render(shapes) + " do not broadcast");
                }
                out[o] = s[i];
            }
        }
        return out;
    }

    /** Row-major strides: {@code [2, 3, 4]} has strides {@code [12, 4, 1]}. */
    public static int[] strides(long[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s = Math.toIntExact(s * shape[i]);
        }
        return strides;
    }

    /** Number of elements of {@code shape}. */
    public static int size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }

    /**
     * For every flat index of a tensor of shape {@code to}, the flat index of the element of a
     * tensor of shape {@code from} that broadcasting places there. {@code from} must broadcast to
     * {@code to} without changing it (one-directional, as ONNX's "unidirectional broadcasting").
     */
    public static int[] sourceIndices(String op, long[] from, long[] to) {
        boolean fits = from.length <= to.length;
        for (int i = 0; fits && i < from.length; i++) {
            long f = from[i];
            long t = to[to.length - from.length + i];
            fits = f == t || f == 1;
        }
        if (!fits) {
            throw new InterpreterException(op + ": shape " + Arrays.toString(from) + " does not broadcast to " + Arrays.toString(to));
        }
        int[] fromStrides = strides(from);
        int[] toStrides = strides(to);
        int offset = to.length - from.length;
        int[] map = new int[size(to)];
        for (int flat = 0; flat < map.length; flat++) {
            int src = 0;
            for (int i = 0; i < from.length; i++) {
                long index = (flat / toStrides[offset + i]) % to[offset + i];
                // A stretched dim of 1 always reads its only element.
                if (from[i] != 1) src += (int) index * fromStrides[i];
            }
            map[flat] = src;
        }
        return map;
    }

    private static String render(long[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shapes.length; i++) {
            if (i > 0) sb.append(" and ");
            sb.append(Arrays.toString(shapes[i]));
        }
        return sb.toString();
    }
}
