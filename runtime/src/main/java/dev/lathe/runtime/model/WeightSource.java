package dev.lathe.runtime.model;

import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsFile;
import java.util.Map;

/** Where a compiled model's weights come from when it is loaded: a safetensors file or tensors in memory. */
@FunctionalInterface
public interface WeightSource {
    /** The tensor stored under {@code key}; throws {@link IllegalArgumentException} when there is none. */
    Tensor weight(String key);

    static WeightSource of(Map<String, Tensor> tensors) {
        return key -> {
            Tensor t = tensors.get(key);
            if (t == null) throw new IllegalArgumentException("no weight " + key);
            return t;
        };
    }

    /** Reads from a memory-mapped safetensors file (which the caller keeps open while loading). */
    static WeightSource of(SafetensorsFile file) {
        return key -> {
            if (!file.contains(key)) throw new IllegalArgumentException("weights file " + file.path() + " has no tensor " + key);
            return file.read(key);
        };
    }
}
