package dev.lathe.gpu;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import org.jocl.Pointer;

/**
 * How a buffer's elements are held on the device, by {@link DType#storage()}: f32 as {@code float},
 * f64 as {@code double}, every integer type as {@code long} (values already wrapped to their width,
 * as the runtime holds them) and bool as {@code uchar} 0/1. Converts tensors to and from those arrays.
 */
final class DeviceArrays {
    private DeviceArrays() {}

    /** A host array ready for a transfer: what to point JOCL at and how many bytes. */
    record HostArray(Pointer pointer, long bytes, Object array) {}

    /** The OpenCL C element type of a buffer of {@code t}. */
    static String cType(DType t) {
        return switch (t.storage()) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case LONG -> "long";
            case BOOLEAN -> "uchar";
        };
    }

    /** Bytes per element on the device. */
    static int elementBytes(DType t) {
        return switch (t.storage()) {
            case FLOAT -> 4;
            case DOUBLE, LONG -> 8;
            case BOOLEAN -> 1;
        };
    }

    /** {@code t}'s elements in the device layout of {@code as}. */
    static HostArray of(Tensor t, DType as) {
        return switch (as.storage()) {
            case FLOAT -> {
                float[] a = t.toFloatArray();
                yield new HostArray(Pointer.to(a), 4L * a.length, a);
            }
            case DOUBLE -> {
                double[] a = t.toDoubleArray();
                yield new HostArray(Pointer.to(a), 8L * a.length, a);
            }
            case LONG -> {
                long[] a = t.toLongArray();
                yield new HostArray(Pointer.to(a), 8L * a.length, a);
            }
            case BOOLEAN -> {
                byte[] a = new byte[t.size()];
                for (int i = 0; i < a.length; i++) a[i] = (byte) (t.getBoolean(i) ? 1 : 0);
                yield new HostArray(Pointer.to(a), a.length, a);
            }
        };
    }

    /** An empty host array for {@code size} elements of {@code t}, to read a buffer into. */
    static HostArray allocate(DType t, int size) {
        return switch (t.storage()) {
            case FLOAT -> {
                float[] a = new float[size];
                yield new HostArray(Pointer.to(a), 4L * size, a);
            }
            case DOUBLE -> {
                double[] a = new double[size];
                yield new HostArray(Pointer.to(a), 8L * size, a);
            }
            case LONG -> {
                long[] a = new long[size];
                yield new HostArray(Pointer.to(a), 8L * size, a);
            }
            case BOOLEAN -> {
                byte[] a = new byte[size];
                yield new HostArray(Pointer.to(a), size, a);
            }
        };
    }

    /** The tensor of dtype {@code t} whose elements were read into {@code h}. */
    static Tensor toTensor(DType t, long[] shape, HostArray h) {
        return switch (h.array()) {
            case float[] a -> Tensor.ofFloats(t, shape, a);
            case double[] a -> Tensor.ofDoubles(shape, a);
            case long[] a -> Tensor.ofLongs(t, shape, a);
            case byte[] a -> {
                boolean[] b = new boolean[a.length];
                for (int i = 0; i < a.length; i++) b[i] = a[i] != 0;
                yield Tensor.ofBooleans(shape, b);
            }
            default -> throw new AssertionError(h.array());
        };
    }
}
