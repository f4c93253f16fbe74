package dev.lathe.tornado;

import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;

/**
 * How a buffer of each element type lives in TornadoVM: its array class and how generated code reads an
 * element (as the Java value of its kind: {@code double} for floats, {@code long} for integers,
 * {@code boolean} for bool) and stores one.
 */
final class ArrayTypes {
    private ArrayTypes() {}

    static boolean supported(DType t) {
        return switch (t) {
            case F32, F64, F16, I64, I32, I8, BOOL -> true;
            default -> false;
        };
    }

    static void require(DType t, String what) {
        if (!supported(t)) {
            throw new UnsupportedOpException(t.sourceName(), "the tornadovm backend has no array type for " + t.sourceName() + " (" + what
                    + "); it supports f32, f64, f16, i64, i32, i8 and bool buffers");
        }
    }

    /** The TornadoVM array class (in {@code uk.ac.manchester.tornado.api.types.arrays}). */
    static String arrayClass(DType t) {
        return switch (t) {
            case F32 -> "FloatArray";
            case F64 -> "DoubleArray";
            case F16 -> "HalfFloatArray";
            case I64 -> "LongArray";
            case I32 -> "IntArray";
            case I8 -> "Int8Array";
            case BOOL -> "ByteArray";
            default -> throw new IllegalArgumentException(t.sourceName());
        };
    }

    /** Reads element {@code index} of {@code array} as a value of its kind. */
    static String load(DType t, String array, String index) {
        String get = array + ".get(" + index + ")";
        return switch (t) {
            case F32, I32, I8 -> "(" + (t == DType.F32 ? "(double) " : "(long) ") + get + ")";
            case F64, I64 -> get;
            case F16 -> "((double) " + get + ".getFloat32())";
            case BOOL -> "(" + get + " != 0)";
            default -> throw new IllegalArgumentException(t.sourceName());
        };
    }

    /** Stores {@code value}, an expression of the kind of {@code t} already rounded or wrapped to {@code t}. */
    static String store(DType t, String array, String index, String value) {
        String v = switch (t) {
            case F32 -> "(float) (" + value + ")";
            case F64, I64 -> value;
            case F16 -> "new HalfFloat((float) (" + value + "))";
            case I32 -> "(int) (" + value + ")";
            case I8 -> "(byte) (" + value + ")";
            case BOOL -> "(byte) ((" + value + ") ? 1 : 0)";
            default -> throw new IllegalArgumentException(t.sourceName());
        };
        return array + ".set(" + index + ", " + v + ");";
    }
}
