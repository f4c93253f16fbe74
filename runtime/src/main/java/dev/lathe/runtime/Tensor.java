package dev.lathe.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major, immutable tensor. Elements are held as {@code float[]} (f32, f16, bf16),
 * {@code double[]} (f64), {@code long[]} (all integer types) or {@code boolean[]} (bool); see
 * {@link DType#storage()}. The arrays are never exposed for writing: the accessors copy, and the
 * {@code of...} factories take ownership of the array they are given.
 *
 * <p>A tensor of dtype f16 or bf16 holds only floats that are exactly representable in that type:
 * {@link #ofFloats(DType, long[], float[])}, {@link #fromDoubles} and {@link #cast} round to nearest
 * (ties to even, NaN kept, overflow to infinity) when the dtype is f16 or bf16, so that widening to f32
 * and narrowing back for storage are both exact (see {@link HalfFloats}).
 */
public final class Tensor {
    /** Rank limit from DESIGN.md §8. */
    public static final int MAX_RANK = 8;

    private final DType dtype;
    private final long[] shape;
    private final int size;
    private final Object data;

    private Tensor(DType dtype, long[] shape, Object data) {
        this.dtype = Objects.requireNonNull(dtype);
        this.shape = shape.clone();
        this.size = Math.toIntExact(checkedSize(this.shape));
        this.data = data;
        int length = java.lang.reflect.Array.getLength(data);
        if (length != size) {
            throw new IllegalArgumentException("data has " + length + " elements, shape " + Arrays.toString(shape) + " needs " + size);
        }
        Class<?> expected = switch (dtype.storage()) {
            case FLOAT -> float[].class;
            case DOUBLE -> double[].class;
            case LONG -> long[].class;
            case BOOLEAN -> boolean[].class;
        };
        if (data.getClass() != expected) {
            throw new IllegalArgumentException(dtype + " needs " + expected.getSimpleName() + " storage");
        }
    }

    /** Number of elements of {@code shape}, overflow-checked; rank and negative dims are rejected. */
    public static long checkedSize(long[] shape) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException("rank " + shape.length + " exceeds " + MAX_RANK);
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dim in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of " + n + " elements is too large");
        return n;
    }

    /**
     * A tensor over {@code data}, which it takes ownership of. For f16 and bf16 the elements are rounded
     * in place to the nearest value of that type.
     */
    public static Tensor ofFloats(DType dtype, long[] shape, float[] data) {
        if (dtype.storage() != DType.Storage.FLOAT) throw new IllegalArgumentException(dtype + " is not held as floats");
        switch (dtype) {
            case F16 -> { for (int i = 0; i < data.length; i++) data[i] = HalfFloats.roundToF16(data[i]); }
            case BF16 -> { for (int i = 0; i < data.length; i++) data[i] = HalfFloats.roundToBf16(data[i]); }
            default -> { }
        }
        return new Tensor(dtype, shape, data);
    }

    public static Tensor ofFloats(long[] shape, float[] data) { return ofFloats(DType.F32, shape, data); }

    public static Tensor ofDoubles(long[] shape, double[] data) { return new Tensor(DType.F64, shape, data); }

    public static Tensor ofLongs(DType dtype, long[] shape, long[] data) {
        if (dtype.storage() != DType.Storage.LONG) throw new IllegalArgumentException(dtype + " is not held as longs");
        return new Tensor(dtype, shape, data);
    }

    public static Tensor ofBooleans(long[] shape, boolean[] data) { return new Tensor(DType.BOOL, shape, data); }

    public static Tensor scalar(float value) { return ofFloats(new long[0], new float[] {value}); }

    public static Tensor zeros(DType dtype, long[] shape) {
        int n = Math.toIntExact(checkedSize(shape));
        return switch (dtype.storage()) {
            case FLOAT -> new Tensor(dtype, shape, new float[n]);
            case DOUBLE -> new Tensor(dtype, shape, new double[n]);
            case LONG -> new Tensor(dtype, shape, new long[n]);
            case BOOLEAN -> new Tensor(dtype, shape, new boolean[n]);
        };
    }

    /**
     * A tensor of {@code dtype} whose element i is {@code values[i]} converted as by a C cast (bool: != 0);
     * f16 and bf16 round the double once, directly to the nearest value of that type.
     */
    public static Tensor fromDoubles(DType dtype, long[] shape, double[] values) {
        int n = values.length;
        return switch (dtype.storage()) {
            case FLOAT -> {
                float[] f = new float[n];
                switch (dtype) {
                    case F16 -> { for (int i = 0; i < n; i++) f[i] = HalfFloats.roundToF16(values[i]); }
                    case BF16 -> { for (int i = 0; i < n; i++) f[i] = HalfFloats.roundToBf16(values[i]); }
                    default -> { for (int i = 0; i < n; i++) f[i] = (float) values[i]; }
                }
                yield new Tensor(dtype, shape, f);
            }
            case DOUBLE -> new Tensor(dtype, shape, values.clone());
            case LONG -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) l[i] = (long) values[i];
                yield new Tensor(dtype, shape, l);
            }
            case BOOLEAN -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) b[i] = values[i] != 0;
                yield new Tensor(dtype, shape, b);
            }
        };
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }

    public int size() { return size; }

    /** Element {@code i} (row-major flat index) as a double; bool is 1 or 0. */
    public double getDouble(int i) {
        return switch (data) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> throw new AssertionError();
        };
    }

    public long getLong(int i) {
        return switch (data) {
            case long[] l -> l[i];
            case boolean[] b -> b[i] ? 1 : 0;
            default -> (long) getDouble(i);
        };
    }

    public boolean getBoolean(int i) { return getDouble(i) != 0; }

    /** A copy of the elements as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = getDouble(i);
        return out;
    }

    /** A copy of the elements as floats. */
    public float[] toFloatArray() {
        if (data instanceof float[] f) return f.clone();
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = (float) getDouble(i);
        return out;
    }

    public long[] toLongArray() {
        if (data instanceof long[] l) return l.clone();
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = getLong(i);
        return out;
    }

    /**
     * Read-only view of the backing array for hot loops in trusted code (kernels, writers).
     * Callers must not modify it.
     */
    public Object unsafeData() { return data; }

    /** Same data, new shape of equal size. */
    public Tensor reshape(long[] newShape) {
        return new Tensor(dtype, newShape, data);
    }

    /**
     * Same elements converted to {@code target} (float to int truncates toward zero, as ONNX Cast;
     * to f16/bf16 rounds to nearest even).
     */
    public Tensor cast(DType target) {
        if (target == dtype) return this;
        return fromDoubles(target, shape, toDoubleArray());
    }

    /** Bitwise equality of dtype, shape and data (NaN equal to NaN with the same bits). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t)) return false;
        if (dtype != t.dtype || !Arrays.equals(shape, t.shape)) return false;
        return switch (data) {
            case float[] f -> Arrays.equals(f, (float[]) t.data);
            case double[] d -> Arrays.equals(d, (double[]) t.data);
            case long[] l -> Arrays.equals(l, (long[]) t.data);
            case boolean[] b -> Arrays.equals(b, (boolean[]) t.data);
            default -> false;
        };
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dtype.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dtype.sourceName()).append(Arrays.toString(shape)).append(' ');
        int shown = Math.min(size, 8);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dtype.isFloating() ? Double.toString(getDouble(i)) : Long.toString(getLong(i)));
        }
        if (size > shown) sb.append(", ...");
        return sb.append(']').toString();
    }
}
