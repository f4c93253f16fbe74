package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;

/** Axis reversal, used to turn column-major (Fortran-order) .npy data into row-major tensors. */
final class Transpose {
    private Transpose() {}

    /** {@code out[i0, ..., ik] = t[ik, ..., i0]}. */
    static Tensor reverseAxes(Tensor t) {
        long[] in = t.shape();
        int rank = in.length;
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = in[rank - 1 - i];
        int n = t.size();
        // Element (i0..ik) of the output sits in the input at i0 + i1*out[0] + i2*out[0]*out[1] + ...
        // (the input's row-major strides, read from its last axis back).
        int[] stride = new int[rank];
        int s = 1;
        for (int a = 0; a < rank; a++) {
            stride[a] = s;
            s *= (int) out[a];
        }
        int[] source = new int[n];
        int[] index = new int[rank];
        int offset = 0;
        for (int flat = 0; flat < n; flat++) {
            source[flat] = offset;
            // Odometer over the output in row-major order: the last axis moves fastest.
            for (int a = rank - 1; a >= 0; a--) {
                index[a]++;
                offset += stride[a];
                if (index[a] < out[a]) break;
                offset -= stride[a] * (int) out[a];
                index[a] = 0;
            }
        }
        return switch (t.unsafeData()) {
            case float[] f -> {
                float[] r = new float[n];
                for (int i = 0; i < n; i++) r[i] = f[source[i]];
                yield Tensor.ofFloats(t.dtype(), out, r);
            }
            case double[] d -> {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) r[i] = d[source[i]];
                yield Tensor.ofDoubles(out, r);
            }
            case long[] l -> {
                long[] r = new long[n];
                for (int i = 0; i < n; i++) r[i] = l[source[i]];
                yield Tensor.ofLongs(t.dtype(), out, r);
            }
            case boolean[] b -> {
                boolean[] r = new boolean[n];
                for (int i = 0; i < n; i++) r[i] = b[source[i]];
                yield Tensor.ofBooleans(out, r);
            }
            default -> throw new AssertionError(t.unsafeData().getClass());
        };
    }
}
