package dev.lathe.weights;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A .npz archive. Its entries are compressed or not, with no index of shapes, so the runtime reader
 * inflates every entry up front and this view serves them from memory.
 */
final class NpzWeights implements WeightsFile {
    private final LinkedHashMap<String, Tensor> tensors;

    private NpzWeights(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** @throws dev.lathe.runtime.io.WeightsFormatException (and its HeaderTooLargeException) as the reader does */
    static NpzWeights open(Path path) throws IOException {
        return new NpzWeights(Npz.read(path));
    }

    @Override
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    @Override
    public DType dtype(String key) {
        return get(key).dtype();
    }

    @Override
    public long[] shape(String key) {
        return get(key).shape();
    }

    @Override
    public Tensor read(String key) {
        return get(key);
    }

    private Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new NoSuchElementException("no tensor '" + key + "'");
        return t;
    }

    @Override
    public void close() {
        tensors.clear();
    }
}
