package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Objects;

/**
 * A flat array of {@code size} elements of {@code dtype}. INPUT buffers are the caller's input
 * tensors and WEIGHT buffers the loaded weights (both read only); TEMP buffers hold intermediates and
 * share pooled {@code slot}s once planned (-1 before); OUTPUT buffers become output tensors.
 *
 * @param name    input name, or weight key
 * @param packing for a WEIGHT, how it is prepared at load ({@code dev.lathe.runtime.model.WeightPacking})
 * @param shape   a WEIGHT's static shape
 */
public record Buffer(int id, Kind kind, DType dtype, Dim size, String name, String packing, List<Long> shape, int slot) {
    public enum Kind { INPUT, WEIGHT, TEMP, OUTPUT }

    public Buffer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(size, "size");
        if (name == null) name = "";
        if (packing == null) packing = "";
        shape = List.copyOf(shape);
    }

    public Buffer withKind(Kind k) {
        return new Buffer(id, k, dtype, size, name, packing, shape, slot);
    }

    public Buffer withSlot(int s) {
        return new Buffer(id, kind, dtype, size, name, packing, shape, s);
    }

    public Buffer withId(int newId) {
        return new Buffer(newId, kind, dtype, size, name, packing, shape, slot);
    }
}
