package dev.lathe.interp;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;

/**
 * The result of a data-movement op (transpose, slice, gather, concat, ...), filled element by
 * element from source tensors of the same dtype. Copies the stored element itself, never a
 * double, so movement is exact for every dtype, including i64 beyond 2^53.
 */
final class ElementBuffer {
    private final DType dtype;
    private final Object data;

    ElementBuffer(DType dtype, int size) {
        this.dtype = dtype;
        this.data = switch (dtype.storage()) {
            case FLOAT -> new float[size];
            case DOUBLE -> new double[size];
            case LONG -> new long[size];
            case BOOLEAN -> new boolean[size];
        };
    }

    /** out[i] = src[j]; {@code src} must have this buffer's dtype. */
    void copy(int i, Tensor src, int j) {
        if (src.dtype() != dtype) throw new IllegalArgumentException("copying " + src.dtype() + " into " + dtype);
        switch (data) {
            case float[] f -> f[i] = ((float[]) src.unsafeData())[j];
            case double[] d -> d[i] = ((double[]) src.unsafeData())[j];
            case long[] l -> l[i] = ((long[]) src.unsafeData())[j];
            case boolean[] b -> b[i] = ((boolean[]) src.unsafeData())[j];
            default -> throw new AssertionError(data);
        }
    }

    /** The filled tensor; the buffer must not be used afterwards (the tensor owns the array). */
    Tensor toTensor(long[] shape) {
        return switch (data) {
            case float[] f -> Tensor.ofFloats(dtype, shape, f);
            case double[] d -> Tensor.ofDoubles(shape, d);
            case long[] l -> Tensor.ofLongs(dtype, shape, l);
            case boolean[] b -> Tensor.ofBooleans(shape, b);
            default -> throw new AssertionError(data);
        };
    }
}
