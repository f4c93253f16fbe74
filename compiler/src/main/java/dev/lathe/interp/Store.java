package dev.lathe.interp;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.HalfFloats;
import dev.lathe.runtime.Tensor;

/**
 * Turns values computed in double (or long, for integer arithmetic) into a tensor of the result
 * dtype. This is the one place where an op's result is rounded, so every op rounds exactly once.
 */
final class Store {
    private Store() {}

    /** A tensor of {@code dtype} holding {@code values}, each rounded or converted as by {@link #round}. */
    static Tensor doubles(DType dtype, long[] shape, double[] values) {
        return switch (dtype.storage()) {
            case FLOAT -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) round(dtype, values[i]);
                yield Tensor.ofFloats(dtype, shape, f);
            }
            case DOUBLE -> Tensor.ofDoubles(shape, values.clone());
            case LONG -> {
                long[] l = new long[values.length];
                for (int i = 0; i < l.length; i++) l[i] = wrap(dtype, (long) values[i]);
                yield Tensor.ofLongs(dtype, shape, l);
            }
            case BOOLEAN -> {
                boolean[] b = new boolean[values.length];
                for (int i = 0; i < b.length; i++) b[i] = values[i] != 0;
                yield Tensor.ofBooleans(shape, b);
            }
        };
    }

    /** A tensor of integer or bool {@code dtype} holding {@code values}, wrapped to its width. */
    static Tensor longs(DType dtype, long[] shape, long[] values) {
        if (dtype == DType.BOOL) {
            boolean[] b = new boolean[values.length];
            for (int i = 0; i < b.length; i++) b[i] = values[i] != 0;
            return Tensor.ofBooleans(shape, b);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) l[i] = wrap(dtype, values[i]);
        return Tensor.ofLongs(dtype, shape, l);
    }

    /**
     * {@code v} rounded to the nearest value of a float dtype (ties to even), or converted to an
     * integer one by truncation toward zero and two's-complement wrapping, as a C cast does
     * (NaN gives 0; values beyond the long range saturate first, as Java's cast does).
     */
    static double round(DType dtype, double v) {
        return switch (dtype) {
            case F64 -> v;
            case F32 -> (float) v;
            case F16 -> HalfFloats.roundToF16(v);
            case BF16 -> HalfFloats.roundToBf16(v);
            case BOOL -> v != 0 ? 1 : 0;
            default -> wrap(dtype, (long) v);
        };
    }

    /** {@code v} reduced to the width of an integer dtype (two's complement), as ONNX Cast does. */
    static long wrap(DType dtype, long v) {
        return switch (dtype) {
            case I64 -> v;
            case I32 -> (int) v;
            case I8 -> (byte) v;
            case U8 -> v & 0xFF;
            case I4 -> (v << 60) >> 60;
            case U4 -> v & 0xF;
            case BOOL -> v != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(dtype + " is not an integer type");
        };
    }
}
