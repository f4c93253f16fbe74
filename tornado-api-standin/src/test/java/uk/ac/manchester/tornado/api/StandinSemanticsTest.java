package uk.ac.manchester.tornado.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/** The stand-in's documented semantics: tasks in order on simulated device copies, transfers by mode. */
class StandinSemanticsTest {
    static void scaleAdd(FloatArray w, FloatArray x, FloatArray y) {
        for (@Parallel int i = 0; i < y.getSize(); i++) y.set(i, w.get(i) * x.get(i) + 1f);
    }

    static void twice(FloatArray y, FloatArray z) {
        for (@Parallel int i = 0; i < z.getSize(); i++) z.set(i, 2 * y.get(i));
    }

    @Test
    void firstExecutionDataIsCopiedOnceEveryExecutionDataEachTime() throws Exception {
        FloatArray w = FloatArray.fromArray(new float[] {1, 2, 3});
        FloatArray x = FloatArray.fromArray(new float[] {10, 20, 30});
        FloatArray y = new FloatArray(3), z = new FloatArray(3);
        TaskGraph g = new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("t0", StandinSemanticsTest::scaleAdd, w, x, y)
                .task("t1", StandinSemanticsTest::twice, y, z)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, z);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            plan.execute();
            assertArrayEquals(new float[] {22, 82, 182}, z.toHeapArray());
            assertArrayEquals(new float[] {0, 0, 0}, y.toHeapArray(), "y is never transferred back: the host copy is untouched");
            w.set(0, 100);
            x.set(0, 1);
            plan.execute();
            // x travels again (1 * 1 + 1) * 2; the device keeps the first w
            assertArrayEquals(new float[] {4, 82, 182}, z.toHeapArray());
        }
    }

    @Test
    void taskNamesAreUniqueAndOnlyArraysTransfer() {
        FloatArray a = new FloatArray(1);
        TaskGraph g = new TaskGraph("g").task("t", StandinSemanticsTest::twice, a, a);
        assertThrows(IllegalArgumentException.class, () -> g.task("t", StandinSemanticsTest::twice, a, a));
        assertThrows(IllegalArgumentException.class, () -> new TaskGraph("h").transferToDevice(DataTransferMode.FIRST_EXECUTION, new float[1]).snapshot());
        assertThrows(IllegalArgumentException.class, () -> new TaskGraph("h").transferToDevice(7, a));
    }

    @Test
    void halfFloatsRoundToNearestEven() {
        HalfFloatArray h = new HalfFloatArray(2);
        h.set(0, new HalfFloat(1.0f + 0x1p-11f)); // a tie between 1 and 1 + 2^-10: to even, 1
        h.set(1, new HalfFloat(70000f)); // above the f16 range
        assertEquals(1.0f, h.get(0).getFloat32());
        assertEquals(Float.POSITIVE_INFINITY, h.get(1).getFloat32());
    }
}
