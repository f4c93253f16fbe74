package dev.lathe.ir;

import dev.lathe.runtime.DType;
import java.util.List;
import java.util.stream.Collectors;

/** Element type and symbolic shape of a value, printed as in source: {@code f32[B, 2 * S, 256]}. */
public record TensorType(DType dtype, List<Dim> shape) {
    public TensorType {
        java.util.Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        if (shape.size() > dev.lathe.runtime.Tensor.MAX_RANK) {
            throw new IllegalArgumentException("rank " + shape.size() + " exceeds " + dev.lathe.runtime.Tensor.MAX_RANK);
        }
    }

    public static TensorType of(DType dtype, long... dims) {
        return new TensorType(dtype, java.util.Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    public int rank() {
        return shape.size();
    }

    public Dim dim(int axis) {
        return shape.get(axis < 0 ? axis + shape.size() : axis);
    }

    public boolean isStatic() {
        return shape.stream().allMatch(Dim::isConstant);
    }

    /** The concrete shape; only for static types. */
    public long[] staticShape() {
        return shape.stream().mapToLong(d -> d.constant().orElseThrow(() -> new IllegalStateException(this + " is not static"))).toArray();
    }

    public TensorType withDtype(DType t) {
        return new TensorType(t, shape);
    }

    public TensorType withShape(List<Dim> s) {
        return new TensorType(dtype, s);
    }

    @Override
    public String toString() {
        return dtype.sourceName() + shape.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
