package dev.lathe.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.lathe.ir.Dim;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorGensTest {
    @Test
    void staticShapesHaveTheAskedRanksAndDims() {
        qt().withFixedSeed(1).withExamples(300).forAll(TensorGens.staticShapes(0, 3, 5)).checkAssert(s -> {
            assertTrue(s.length <= 3);
            for (long d : s) assertTrue(d >= 1 && d <= 5, "dim " + d);
        });
    }

    @Test
    void tensorsHaveTheirTypeAndValuesInRange() {
        TensorType type = TensorType.of(DType.F32, 2, 3);
        ValueRange range = ValueRange.of(-2, 3);
        qt().withFixedSeed(2).withExamples(300).forAll(TensorGens.tensors(type, range)).checkAssert(t -> {
            assertEquals(DType.F32, t.dtype());
            assertArrayEquals(new long[] {2, 3}, t.shape());
            for (int i = 0; i < t.size(); i++) assertTrue(t.getDouble(i) >= -2 && t.getDouble(i) <= 3, "element " + t.getDouble(i));
        });
    }

    @Test
    void floatElementsMixMagnitudes() {
        List<Double> values = new ArrayList<>();
        qt().withFixedSeed(3).withExamples(200).forAll(TensorGens.tensors(TensorType.of(DType.F32, 8))).checkAssert(t -> {
            for (int i = 0; i < t.size(); i++) values.add(t.getDouble(i));
        });
        assertTrue(values.stream().anyMatch(v -> v == 0.0), "exact zeros");
        assertTrue(values.stream().anyMatch(v -> v != 0 && Math.abs(v) < 1e-3), "tiny values");
        assertTrue(values.stream().anyMatch(v -> Math.abs(v) > 3.9), "values near the ends");
        assertTrue(values.stream().anyMatch(v -> v < 0) && values.stream().anyMatch(v -> v > 0), "both signs");
        assertTrue(values.stream().anyMatch(v -> v == 2.0 || v == -2.0), "small integers");
    }

    @Test
    void aRangeAwayFromZeroCentersOnItsNearestEnd() {
        ValueRange positive = ValueRange.uniform(0.5, 2);
        assertEquals(0.5, positive.center());
        assertEquals(0.5, positive.element(0, false, 0), "all-zero draws give the center");
        Tensor t = TensorGens.sample(TensorType.of(DType.F64, 1000), positive, 9);
        for (int i = 0; i < t.size(); i++) assertTrue(t.getDouble(i) >= 0.5 && t.getDouble(i) <= 2, "element " + t.getDouble(i));
    }

    @Test
    void integerAndBoolTensors() {
        qt().withFixedSeed(4).withExamples(200).forAll(TensorGens.integers(DType.I64, new long[] {4}, -3, 2)).checkAssert(t -> {
            assertEquals(DType.I64, t.dtype());
            for (int i = 0; i < t.size(); i++) assertTrue(t.getLong(i) >= -3 && t.getLong(i) <= 2, "index " + t.getLong(i));
        });
        qt().withFixedSeed(5).withExamples(50).forAll(TensorGens.tensors(TensorType.of(DType.BOOL, 2, 2))).checkAssert(t -> {
            assertEquals(DType.BOOL, t.dtype());
            assertArrayEquals(new long[] {2, 2}, t.shape());
        });
        qt().withFixedSeed(6).withExamples(100).forAll(TensorGens.tensors(TensorType.of(DType.U8, 5))).checkAssert(t -> {
            for (int i = 0; i < t.size(); i++) assertTrue(t.getLong(i) >= 0 && t.getLong(i) <= TensorGens.DEFAULT_INT_MAX, "u8 " + t.getLong(i));
        });
    }

    @Test
    void samplingIsDeterministicPerSeed() {
        TensorType type = TensorType.of(DType.F32, 3, 4);
        assertEquals(TensorGens.sample(type, ValueRange.DEFAULT, 42), TensorGens.sample(type, ValueRange.DEFAULT, 42));
        assertNotEquals(TensorGens.sample(type, ValueRange.DEFAULT, 42), TensorGens.sample(type, ValueRange.DEFAULT, 43));
        assertEquals(TensorGens.sampleIntegers(DType.I32, new long[] {5}, 0, 9, 1), TensorGens.sampleIntegers(DType.I32, new long[] {5}, 0, 9, 1));
    }

    @Test
    void symbolicTypesAndEmptyRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TensorGens.tensors(new TensorType(DType.F32, List.of(Dim.var("B")))));
        assertThrows(IllegalArgumentException.class, () -> ValueRange.of(1, 0));
        assertThrows(IllegalArgumentException.class, () -> TensorGens.integers(DType.I64, new long[] {1}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> TensorGens.staticShapes(2, 1, 3));
    }

    @Test
    void aFailingTensorShrinksTowardsZeros() {
        List<Tensor> failing = new ArrayList<>();
        assertThrows(AssertionError.class, () -> qt().withFixedSeed(7).withExamples(200).withShrinkCycles(3000)
                .forAll(TensorGens.tensors(TensorType.of(DType.F32, 6))).checkAssert(t -> {
                    boolean large = false;
                    for (int i = 0; i < t.size(); i++) large |= t.getDouble(i) > 1;
                    if (large) {
                        failing.add(t);
                        throw new AssertionError("an element above 1");
                    }
                }));
        Tensor last = failing.getLast();
        long zeros = 0;
        for (int i = 0; i < last.size(); i++) zeros += last.getDouble(i) == 0 ? 1 : 0;
        assertTrue(zeros >= 4, "shrunk to " + TensorGens.describe(last));
    }
}
