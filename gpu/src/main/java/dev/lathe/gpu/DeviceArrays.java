package dev.lathe.gpu;

import dev.lathe.lower.Buffer;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import org.jocl.Pointer;

/**
 * How a buffer's elements are held on the device: f32 as {@code float}, f64 as {@code double}, every
 * integer type as {@code long} (values already wrapped to their width, as the runtime holds them) and
 * bool as {@code uchar} 0/1; a quantized weight (packing {@code quant:...}) as its packed bytes
 * ({@code uchar}) and integers the kernels read as floats (packing {@code f32}) as {@code float}.
 * Converts tensors to and from those arrays.
 */
final class DeviceArrays {
    private DeviceArrays() {}

    /** Element representations on the device. */
    enum Element {
        FLOAT("float", 4), DOUBLE("double", 8), LONG("long", 8), BYTE("uchar", 1);

        final String cType;
        final int bytes;

        Element(String cType, int bytes) {
            this.cType = cType;
            this.bytes = bytes;
        }
    }

    /** A host array ready for a transfer: what to point JOCL at and how many bytes. */
    record HostArray(Pointer pointer, long bytes, Object array) {}

    static Element of(DType t) {
        return switch (t.storage()) {
            case FLOAT -> Element.FLOAT;
            case DOUBLE -> Element.DOUBLE;
            case LONG -> Element.LONG;
            case BOOLEAN -> Element.BYTE;
        };
    }

    /** A buffer's element on the device, its weight packing included. */
    static Element of(Buffer b) {
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().startsWith("quant:")) return Element.BYTE;
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().equals("f32")) return Element.FLOAT;
        return of(b.dtype());
    }

    /** The OpenCL C element type of a buffer of {@code t}. */
    static String cType(DType t) {
        return of(t).cType;
    }

    /** The OpenCL C element type of buffer {@code b}. */
    static String cType(Buffer b) {
        return of(b).cType;
    }

    /** Bytes per element on the device. */
    static int elementBytes(DType t) {
        return of(t).bytes;
    }

    /** {@code t}'s elements in the device layout {@code as}. */
    static HostArray of(Tensor t, Element as) {
        return switch (as) {
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
            case BYTE -> {
                // bools as 0/1; integers (packed weight bytes) keep their low 8 bits
                byte[] a = new byte[t.size()];
                for (int i = 0; i < a.length; i++) a[i] = t.dtype() == DType.BOOL ? (byte) (t.getBoolean(i) ? 1 : 0) : (byte) t.getLong(i);
                yield new HostArray(Pointer.to(a), a.length, a);
            }
        };
    }

    /** {@code t}'s elements in the device layout of dtype {@code as}. */
    static HostArray of(Tensor t, DType as) {
        return of(t, of(as));
    }

    /** An empty host array for {@code size} elements of {@code t}, to read a buffer into. */
    static HostArray allocate(DType t, int size) {
        return switch (of(t)) {
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
            case BYTE -> {
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
