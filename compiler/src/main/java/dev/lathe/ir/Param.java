package dev.lathe.ir;

import dev.lathe.runtime.Tensor;
import java.util.Objects;

/**
 * A weight, named by its path ({@code blk.0.mlp.fc1.weight}). {@code data} is null until the
 * weights are bound ({@link Graph#withParamData}); its dtype and shape are checked by
 * {@link IrVerifier} (V7), not here, so that hand-made graphs can be verified.
 */
public record Param(String path, Value value, Provenance provenance, Tensor data) {
    public Param {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(provenance, "provenance");
    }

    public TensorType type() {
        return value.type();
    }

    public boolean isBound() {
        return data != null;
    }

    public Param withData(Tensor newData) {
        return new Param(path, value, provenance, newData);
    }
}
