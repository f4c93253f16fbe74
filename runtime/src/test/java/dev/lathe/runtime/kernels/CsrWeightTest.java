package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.WeightPacking;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A compiled CSR weight is laid out at load by {@link WeightPacking} from its three stored tensors
 * (values, column indices, row pointers), with the same row slices {@link SparseRowSlices#pack} gives,
 * sharing the arrays of the index and pointer buffers; no kernel keeps a cache of layouts.
 */
class CsrWeightTest {
    private static final String PACKING = WeightPacking.csr(70, "fc.columns", "fc.pointers");

    @Test
    void packingBuildsTheRowSlicesFromTheThreeTensors() {
        SparseGemmTest.Sparse w = SparseGemmTest.Sparse.random(new Random(3), 37, 70, 1, 1, 0.3);
        int[] columns = w.columns().clone(), pointers = w.ptr().clone();
        Map<String, Object> siblings = Map.of("fc.columns", columns, "fc.pointers", pointers);
        Tensor values = Tensor.ofFloats(new long[] {w.values().length}, w.values().clone());

        CsrWeight laid = (CsrWeight) WeightPacking.prepare(PACKING, values, (name, packing) -> {
            assertEquals(WeightPacking.I32, packing);
            return siblings.get(name);
        });

        assertEquals(37, laid.out());
        assertEquals(70, laid.in());
        assertSame(columns, laid.columns, "shares the column buffer's array");
        assertSame(pointers, laid.rowPtr, "shares the pointer buffer's array");
        assertSame(values.unsafeData(), laid.values, "reads the values as stored");
        if (!(Kernels.VECTOR && SparseGemmVector.slices())) {
            assertNull(laid.slices);
            return;
        }
        SparseRowSlices expected = SparseRowSlices.pack(SparseGemmVector.lanes(), 37, 70, w.values(), w.columns(), w.ptr());
        SparseRowSlices got = laid.slices;
        assertEquals(expected.lanes, got.lanes);
        assertEquals(expected.slices, got.slices);
        assertEquals(expected.blocks, got.blocks);
        assertEquals(expected.tailRow, got.tailRow);
        assertArrayEquals(expected.start, got.start);
        assertArrayEquals(expected.values, got.values);
        assertArrayEquals(expected.offsets, got.offsets);
    }

    @Test
    void badStructureIsRejectedAtLoad() {
        Tensor values = Tensor.ofFloats(new long[] {2}, new float[] {1, 2});
        String packing = WeightPacking.csr(4, "c", "p");
        assertThrows(IllegalArgumentException.class,
                () -> WeightPacking.prepare(packing, values, (n, p) -> n.equals("c") ? new int[] {0, 4} : new int[] {0, 1, 2}), "column past in");
        assertThrows(IllegalArgumentException.class,
                () -> WeightPacking.prepare(packing, values, (n, p) -> n.equals("c") ? new int[] {0, 1} : new int[] {0, 2, 1}), "decreasing pointers");
        assertThrows(IllegalArgumentException.class,
                () -> WeightPacking.prepare(packing, values, (n, p) -> n.equals("c") ? new int[] {0, 1} : new int[] {0, 1, 3}), "pointers past the stored entries");
        assertThrows(IllegalArgumentException.class, () -> WeightPacking.prepare(packing, values), "no sibling weights given");
        assertThrows(IllegalArgumentException.class,
                () -> WeightPacking.prepare(packing, Tensor.ofLongs(DType.I32, new long[] {2}, new long[] {1, 2}), (n, p) -> new int[] {0, 1}), "values not f32");
        assertThrows(IllegalArgumentException.class, () -> WeightPacking.csr(4, "a:b", "p"), "a name the packing cannot hold");
    }

    /** The layout lives with the model's weights: no kernel class holds a map of layouts (the old per-call synchronized cache). */
    @Test
    void noKernelKeepsAGlobalLayoutCache() {
        for (Class<?> k : new Class<?>[] {SparseGemm.class, SparseGemmVector.class, SparseGemmScalar.class, SparseRowSlices.class, CsrWeight.class}) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) continue;
                assertFalse(Map.class.isAssignableFrom(f.getType()), k.getSimpleName() + "." + f.getName() + " is a static map");
            }
        }
        assertTrue(CsrWeight.of(16, 32, new float[0], new int[0], new int[17]).out() == 16);
    }
}
