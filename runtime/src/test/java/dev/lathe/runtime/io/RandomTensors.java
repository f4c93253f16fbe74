package dev.lathe.runtime.io;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.HalfFloats;
import dev.lathe.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/** QuickTheories generators of valid tensors of every dtype a file can hold, special values included. */
final class RandomTensors {
    private RandomTensors() {}

    static final List<DType> FILE_DTYPES = List.of(DType.F32, DType.F16, DType.BF16, DType.F64, DType.I64, DType.I32, DType.I8, DType.U8, DType.BOOL);

    private static final float[] SPECIAL_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
            Float.MIN_VALUE, Float.MAX_VALUE, -1.0f};
    private static final double[] SPECIAL_DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1};
    private static final int[] SPECIAL_F16 = {0x7E00, 0x7C00, 0xFC00, 0x8000, 0x0001, 0x7BFF, 0x7C01};
    private static final int[] SPECIAL_BF16 = {0x7FC0, 0x7F80, 0xFF80, 0x8000, 0x0001, 0x7F7F, 0x7F81};
    /** Key characters that need JSON escaping or are multi-byte in UTF-8. */
    private static final String KEY_CHARS = "ab.Z_9é\"\\/ \n\t😀";

    static Gen<Tensor> tensors() {
        return in -> tensor(in, FILE_DTYPES.get(between(in, 0, FILE_DTYPES.size() - 1)));
    }

    /** 0 to 4 tensors under distinct keys; {@code plainKeys} limits keys to [a-z0-9_]. */
    static Gen<Map<String, Tensor>> tensorMaps(boolean plainKeys) {
        return in -> {
            int count = between(in, 0, 4);
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = (plainKeys ? "t" : "k") + i + (plainKeys ? "" : text(in, 3));
                m.put(key, tensors().generate(in));
            }
            return m;
        };
    }

    static Gen<Map<String, String>> metadata() {
        return in -> {
            int count = between(in, 0, 2);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) m.put("m" + i + text(in, 2), text(in, 5));
            return m;
        };
    }

    static Tensor tensor(RandomnessSource in, DType dtype) {
        int rank = between(in, 0, 4);
        long[] shape = new long[rank];
        int n = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = between(in, 0, 5);
            n *= (int) shape[i];
        }
        return switch (dtype) {
            case F32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = between(in, 0, 3) == 0 ? SPECIAL_FLOATS[between(in, 0, SPECIAL_FLOATS.length - 1)]
                            : Float.intBitsToFloat((int) in.next(Constraint.between(Integer.MIN_VALUE, Integer.MAX_VALUE)));
                }
                yield Tensor.ofFloats(shape, f);
            }
            case F16, BF16 -> {
                int[] specials = dtype == DType.F16 ? SPECIAL_F16 : SPECIAL_BF16;
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    short bits = (short) (between(in, 0, 3) == 0 ? specials[between(in, 0, specials.length - 1)] : between(in, 0, 0xFFFF));
                    f[i] = dtype == DType.F16 ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
                }
                yield Tensor.ofFloats(dtype, shape, f);
            }
            case F64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = between(in, 0, 3) == 0 ? SPECIAL_DOUBLES[between(in, 0, SPECIAL_DOUBLES.length - 1)]
                            : Double.longBitsToDouble(in.next(Constraint.none()));
                }
                yield Tensor.ofDoubles(shape, d);
            }
            case I64, I32, I8, U8 -> {
                long lo = switch (dtype) { case I64 -> Long.MIN_VALUE; case I32 -> Integer.MIN_VALUE; case I8 -> -128; default -> 0; };
                long hi = switch (dtype) { case I64 -> Long.MAX_VALUE; case I32 -> Integer.MAX_VALUE; case I8 -> 127; default -> 255; };
                long[] l = new long[n];
                for (int i = 0; i < n; i++) l[i] = dtype == DType.I64 ? in.next(Constraint.none()) : in.next(Constraint.between(lo, hi));
                yield Tensor.ofLongs(dtype, shape, l);
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) b[i] = between(in, 0, 1) == 1;
                yield Tensor.ofBooleans(shape, b);
            }
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    private static int between(RandomnessSource in, int lo, int hi) {
        return (int) in.next(Constraint.between(lo, hi));
    }

    private static String text(RandomnessSource in, int maxLength) {
        int length = between(in, 0, maxLength);
        StringBuilder sb = new StringBuilder();
        int[] cps = KEY_CHARS.codePoints().toArray();
        for (int i = 0; i < length; i++) sb.appendCodePoint(cps[between(in, 0, cps.length - 1)]);
        return sb.toString();
    }
}
