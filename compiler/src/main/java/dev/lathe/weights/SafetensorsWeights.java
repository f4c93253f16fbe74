package dev.lathe.weights;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A memory-mapped safetensors file: shapes come from the header, data is copied out only when read. */
final class SafetensorsWeights implements WeightsFile {
    private final SafetensorsFile file;

    private SafetensorsWeights(SafetensorsFile file) {
        this.file = file;
    }

    /** @throws dev.lathe.runtime.io.WeightsFormatException (and its HeaderTooLargeException) as the reader does */
    static SafetensorsWeights open(Path path) throws IOException {
        return new SafetensorsWeights(SafetensorsFile.open(path));
    }

    @Override
    public List<String> keys() {
        return file.keys();
    }

    @Override
    public DType dtype(String key) {
        return file.info(key).dtype();
    }

    @Override
    public long[] shape(String key) {
        return file.info(key).shape();
    }

    @Override
    public Tensor read(String key) {
        return file.read(key);
    }

    @Override
    public void close() {
        file.close();
    }
}
