package dev.lathe.runtime.io;

import dev.lathe.runtime.DType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lives in a weights file.
 *
 * @param dtype element type as stored
 * @param shape dimensions, row-major
 * @param offset absolute byte position of the first element in the file
 * @param length number of data bytes (element count times element size)
 */
public record TensorInfo(DType dtype, long[] shape, long offset, long length) {
    public TensorInfo {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        if (offset < 0 || length < 0) throw new IllegalArgumentException("negative offset or length");
    }

    @Override
    public long[] shape() { return shape.clone(); }

    /** Number of elements (the product of the shape). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && offset == t.offset && length == t.length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), offset, length);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape) + " @" + offset + "+" + length;
    }
}
