package dev.lathe.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.CsrWeight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loader lays out a CSR weight from the three tensors its packing names, whichever of its buffers
 * comes first, reading each stored tensor once; the index and pointer buffers still load as {@code int[]}.
 */
class CsrWeightLoadingTest {
    // W [3, 5]: row 0 = (c1: 1, c4: 2), row 1 empty, row 2 = (c0: 3)
    private static final Map<String, Tensor> TENSORS = Map.of(
            "w.values", Tensor.ofFloats(new long[] {3}, new float[] {1, 2, 3}),
            "w.columns", Tensor.ofLongs(DType.I32, new long[] {3}, new long[] {1, 4, 0}),
            "w.pointers", Tensor.ofLongs(DType.I32, new long[] {4}, new long[] {0, 2, 2, 3}));

    private static ModelSpec.BufferSpec weight(int id, String name, DType dtype, String packing, long size) {
        return new ModelSpec.BufferSpec(id, ModelSpec.Role.WEIGHT, dtype, 0, name, -1, packing, List.of(size));
    }

    private static ModelSpec spec(boolean valuesFirst) {
        String csr = WeightPacking.csr(5, "w.columns", "w.pointers");
        List<ModelSpec.BufferSpec> parts = new ArrayList<>();
        if (valuesFirst) parts.add(weight(0, "w.values", DType.F32, csr, 3));
        parts.add(weight(parts.size(), "w.columns", DType.I32, WeightPacking.I32, 3));
        parts.add(weight(parts.size(), "w.pointers", DType.I32, WeightPacking.I32, 4));
        if (!valuesFirst) parts.add(weight(parts.size(), "w.values", DType.F32, csr, 3));
        return new ModelSpec("g", "G", List.of(), List.of("3"), parts, List.of(), List.of(), null);
    }

    @Test
    void theValuesBufferGetsALaidOutCsrWeightInEitherOrder() {
        for (boolean valuesFirst : new boolean[] {true, false}) {
            Map<String, Integer> reads = new HashMap<>();
            Object[] loaded = CompiledModel.loadWeights(spec(valuesFirst), key -> {
                reads.merge(key, 1, Integer::sum);
                return WeightSource.of(TENSORS).weight(key);
            });
            int values = valuesFirst ? 0 : 2, columns = valuesFirst ? 1 : 0, pointers = columns + 1;
            CsrWeight w = assertInstanceOf(CsrWeight.class, loaded[values]);
            assertEquals(3, w.out());
            assertEquals(5, w.in());
            assertArrayEquals(new int[] {1, 4, 0}, assertInstanceOf(int[].class, loaded[columns]));
            assertArrayEquals(new int[] {0, 2, 2, 3}, assertInstanceOf(int[].class, loaded[pointers]));
            assertEquals(Map.of("w.values", 1, "w.columns", 1, "w.pointers", 1), reads, "values first: " + valuesFirst);
        }
    }

    @Test
    void aMissingPartIsAnError() {
        Map<String, Tensor> noPointers = new HashMap<>(TENSORS);
        noPointers.remove("w.pointers");
        ModelSpec spec = new ModelSpec("g", "G", List.of(), List.of("3"),
                List.of(weight(0, "w.values", DType.F32, WeightPacking.csr(5, "w.columns", "w.pointers"), 3)), List.of(), List.of(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompiledModel.loadWeights(spec, WeightSource.of(noPointers)));
        assertEquals("no weight w.pointers", e.getMessage());
    }
}
