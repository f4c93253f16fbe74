package dev.lathe.runtime.io;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.HalfFloats;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * How one element is laid out in a file, and the bulk conversions between those bytes and
 * {@link Tensor} storage. Shared by the safetensors and .npy code, which differ only in names and
 * byte order. Layouts are unaligned: neither format guarantees that a tensor starts aligned.
 */
enum DiskType {
    F64(8, DType.F64), F32(4, DType.F32), F16(2, DType.F16), BF16(2, DType.BF16),
    I64(8, DType.I64), I32(4, DType.I32), I8(1, DType.I8), U8(1, DType.U8), BOOL(1, DType.BOOL);

    /** Elements converted per chunk when writing, so that no tensor-sized byte array is ever built. */
    private static final int CHUNK_ELEMENTS = 1 << 16;

    final int size;
    /** The dtype of a tensor read from this element type. */
    final DType dtype;

    DiskType(int size, DType dtype) {
        this.size = size;
        this.dtype = dtype;
    }

    /** The element type a tensor of {@code t} is stored as, where the format has that type natively. */
    static DiskType natural(DType t) {
        return switch (t) {
            case F64 -> F64;
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case I64 -> I64;
            case I32 -> I32;
            case I8 -> I8;
            case U8 -> U8;
            case BOOL -> BOOL;
            case I4, U4 -> throw new IllegalArgumentException(t.sourceName() + " tensors have no file element type");
        };
    }

    /** Index of the first byte that is neither 0 nor 1 among {@code count} bools at {@code offset}, or -1. */
    static long firstInvalidBool(MemorySegment src, long offset, long count) {
        for (long i = 0; i < count; i++) {
            byte b = src.get(ValueLayout.JAVA_BYTE, offset + i);
            if (b != 0 && b != 1) return i;
        }
        return -1;
    }

    /**
     * Reads {@code count} elements at {@code offset} into a new storage array for {@link #dtype}.
     * Bool bytes must already have been checked with {@link #firstInvalidBool}.
     */
    Object decode(MemorySegment src, long offset, int count, ByteOrder order) {
        return switch (this) {
            case F64 -> {
                double[] a = new double[count];
                MemorySegment.copy(src, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), offset, a, 0, count);
                yield a;
            }
            case F32 -> {
                float[] a = new float[count];
                MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), offset, a, 0, count);
                yield a;
            }
            case F16, BF16 -> {
                short[] bits = new short[count];
                MemorySegment.copy(src, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), offset, bits, 0, count);
                float[] a = new float[count];
                if (this == F16) {
                    for (int i = 0; i < count; i++) a[i] = HalfFloats.f16ToFloat(bits[i]);
                } else {
                    for (int i = 0; i < count; i++) a[i] = HalfFloats.bf16ToFloat(bits[i]);
                }
                yield a;
            }
            case I64 -> {
                long[] a = new long[count];
                MemorySegment.copy(src, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), offset, a, 0, count);
                yield a;
            }
            case I32 -> {
                int[] ints = new int[count];
                MemorySegment.copy(src, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), offset, ints, 0, count);
                long[] a = new long[count];
                for (int i = 0; i < count; i++) a[i] = ints[i];
                yield a;
            }
            case I8, U8 -> {
                byte[] bytes = new byte[count];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, bytes, 0, count);
                long[] a = new long[count];
                if (this == I8) {
                    for (int i = 0; i < count; i++) a[i] = bytes[i];
                } else {
                    for (int i = 0; i < count; i++) a[i] = bytes[i] & 0xFF;
                }
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) a[i] = src.get(ValueLayout.JAVA_BYTE, offset + i) != 0;
                yield a;
            }
        };
    }

    /** A tensor of {@link #dtype} decoded from {@code src}. */
    Tensor decodeTensor(MemorySegment src, long offset, long[] shape, ByteOrder order) {
        int count = Math.toIntExact(Tensor.checkedSize(shape));
        Object data = decode(src, offset, count, order);
        return switch (data) {
            case float[] f -> Tensor.ofFloats(dtype, shape, f);
            case double[] d -> Tensor.ofDoubles(shape, d);
            case long[] l -> Tensor.ofLongs(dtype, shape, l);
            case boolean[] b -> Tensor.ofBooleans(shape, b);
            default -> throw new AssertionError(data.getClass());
        };
    }

    /**
     * Writes every element of {@code t} as this element type. Floats narrow exactly when the tensor's
     * values are representable (f16/bf16 tensors always are); integers outside this type's range are
     * refused rather than silently wrapped.
     */
    void write(Tensor t, ByteOrder order, OutputStream out) throws IOException {
        int n = t.size();
        byte[] chunk = new byte[Math.min(n, CHUNK_ELEMENTS) * size];
        MemorySegment seg = MemorySegment.ofArray(chunk);
        for (int from = 0; from < n; from += CHUNK_ELEMENTS) {
            int count = Math.min(CHUNK_ELEMENTS, n - from);
            encode(t, from, count, order, seg);
            out.write(chunk, 0, count * size);
        }
    }

    private void encode(Tensor t, int from, int count, ByteOrder order, MemorySegment dst) {
        Object data = t.unsafeData();
        switch (this) {
            case F64 -> {
                if (!(data instanceof double[] d)) throw mismatch(t);
                MemorySegment.copy(d, from, dst, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), 0, count);
            }
            case F32 -> {
                if (!(data instanceof float[] f)) throw mismatch(t);
                MemorySegment.copy(f, from, dst, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), 0, count);
            }
            case F16, BF16 -> {
                if (!(data instanceof float[] f)) throw mismatch(t);
                short[] bits = new short[count];
                if (this == F16) {
                    for (int i = 0; i < count; i++) bits[i] = HalfFloats.floatToF16(f[from + i]);
                } else {
                    for (int i = 0; i < count; i++) bits[i] = HalfFloats.floatToBf16(f[from + i]);
                }
                MemorySegment.copy(bits, 0, dst, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), 0, count);
            }
            case I64 -> {
                if (!(data instanceof long[] l)) throw mismatch(t);
                MemorySegment.copy(l, from, dst, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), 0, count);
            }
            case I32 -> {
                if (!(data instanceof long[] l)) throw mismatch(t);
                int[] ints = new int[count];
                for (int i = 0; i < count; i++) ints[i] = (int) checkRange(t, l, from + i, Integer.MIN_VALUE, Integer.MAX_VALUE);
                MemorySegment.copy(ints, 0, dst, ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), 0, count);
            }
            case I8, U8 -> {
                if (!(data instanceof long[] l)) throw mismatch(t);
                long lo = this == I8 ? Byte.MIN_VALUE : 0;
                long hi = this == I8 ? Byte.MAX_VALUE : 0xFF;
                for (int i = 0; i < count; i++) dst.set(ValueLayout.JAVA_BYTE, i, (byte) checkRange(t, l, from + i, lo, hi));
            }
            case BOOL -> {
                if (!(data instanceof boolean[] b)) throw mismatch(t);
                for (int i = 0; i < count; i++) dst.set(ValueLayout.JAVA_BYTE, i, (byte) (b[from + i] ? 1 : 0));
            }
        }
    }

    private long checkRange(Tensor t, long[] values, int i, long lo, long hi) {
        long v = values[i];
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(t.dtype().sourceName() + " element " + i + " = " + v
                    + " does not fit the file's " + name().toLowerCase(Locale.ROOT) + " elements");
        }
        return v;
    }

    private IllegalArgumentException mismatch(Tensor t) {
        return new IllegalArgumentException("cannot store " + t.dtype().sourceName() + " elements as " + this);
    }
}
