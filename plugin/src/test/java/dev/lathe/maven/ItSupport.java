package dev.lathe.maven;

import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Called from the integration tests' setup.groovy scripts (src/it, with the invoker's
 * {@code addTestClassPath}): writes small weights files, so that no binary file is committed.
 */
public final class ItSupport {
    private ItSupport() {}

    /**
     * Writes a safetensors file of f32 tensors given as {@code "fc1.weight=8x4"}, each filled from
     * {@code SplittableRandom(key hash)} uniform in [-0.5, 0.5): the same bytes on every machine.
     */
    public static void weights(File file, String... specs) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String spec : specs) {
            String[] kv = spec.split("=");
            String[] dims = kv[1].split("x");
            long[] shape = new long[dims.length];
            int n = 1;
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Long.parseLong(dims[i]);
                n *= (int) shape[i];
            }
            SplittableRandom random = new SplittableRandom(kv[0].hashCode());
            float[] data = new float[n];
            for (int i = 0; i < n; i++) data[i] = (float) (random.nextDouble() - 0.5);
            tensors.put(kv[0], Tensor.ofFloats(shape, data));
        }
        file.getParentFile().mkdirs();
        SafetensorsWriter.write(file.toPath(), tensors, Map.of("generator", "lathe-maven-plugin integration tests"));
    }
}
