package dev.lathe.runtime.kernels;

/**
 * An attention mask broadcast to [batch, heads, sq, sk] by strides (a stride of 0 repeats along that
 * dim): element (b, h, i, j) is at {@code off + b*strideBatch + h*strideHead + i*strideQuery +
 * j*strideKey} of either {@code additive} (added to the scaled scores; -inf hides a key) or
 * {@code allowed} (true = attend). Exactly one of the two arrays is non-null. Immutable; the array is
 * referenced, not copied.
 */
public record AttentionMask(float[] additive, boolean[] allowed, int off,
                            int strideBatch, int strideHead, int strideQuery, int strideKey) {
    public AttentionMask {
        if ((additive == null) == (allowed == null)) throw new IllegalArgumentException("exactly one of additive and allowed must be given");
        if (off < 0 || strideBatch < 0 || strideHead < 0 || strideQuery < 0 || strideKey < 0) {
            throw new IllegalArgumentException("mask offset and strides must be >= 0");
        }
    }

    /** A float mask of {@code shape} (rank <= 4, dense row-major, numpy-broadcast to [batch, heads, sq, sk]). */
    public static AttentionMask additive(float[] values, int off, int[] shape) {
        int[] s = strides(shape);
        return new AttentionMask(values, null, off, s[0], s[1], s[2], s[3]);
    }

    /** A bool mask (true = attend) of {@code shape}, broadcast like {@link #additive(float[], int, int[])}. */
    public static AttentionMask allowed(boolean[] values, int off, int[] shape) {
        int[] s = strides(shape);
        return new AttentionMask(null, values, off, s[0], s[1], s[2], s[3]);
    }

    boolean isAdditive() {
        return additive != null;
    }

    int length() {
        return additive != null ? additive.length : allowed.length;
    }

    /** Right-aligned strides of a dense shape over 4 dims, 0 where the dim is 1 or missing. */
    private static int[] strides(int[] shape) {
        if (shape.length > 4) throw new IllegalArgumentException("mask rank must be <= 4, got " + shape.length);
        int[] s = new int[4];
        long stride = 1;
        for (int d = shape.length - 1, t = 3; d >= 0; d--, t--) {
            if (shape[d] < 0) throw new IllegalArgumentException("negative mask dim");
            s[t] = shape[d] == 1 ? 0 : Math.toIntExact(stride);
            stride *= shape[d];
        }
        return s;
    }
}
