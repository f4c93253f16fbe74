package dev.lathe.weights;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;

/**
 * The binder's view of a weights file, whatever its format: keys in file order, each key's element
 * type and shape without reading its data, and the data on demand. Readers of the runtime throw
 * their own exceptions; the binder turns them into diagnostics.
 */
interface WeightsFile extends AutoCloseable {
    List<String> keys();

    DType dtype(String key);

    long[] shape(String key);

    /** @throws UnsupportedOperationException when the tensor is too large for a {@link Tensor} */
    Tensor read(String key);

    @Override
    void close();
}
