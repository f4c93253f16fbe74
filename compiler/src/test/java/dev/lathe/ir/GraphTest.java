package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static Graph twoParams() {
        GraphBuilder g = new GraphBuilder("g");
        Value a = g.param("a", f32(2), P);
        g.param("b", f32(3), P);
        return g.build(List.of(a), List.of("a"));
    }

    @Test
    void withParamDataBindsByPathAndKeepsTheRest() {
        Graph g = twoParams();
        Tensor a = Tensor.ofFloats(new long[] {2}, new float[] {1, 2});
        Graph bound = g.withParamData(Map.of("a", a));
        assertSame(a, bound.param("a").data());
        assertNull(bound.param("b").data());
        assertFalse(bound.isBound());
        assertNull(g.param("a").data(), "the original graph is unchanged");
        assertTrue(bound.withParamData(Map.of("b", Tensor.zeros(DType.F32, new long[] {3}))).isBound());
    }

    @Test
    void withParamDataRejectsUnknownPathsAndWrongData() {
        Graph g = twoParams();
        assertThrows(IllegalArgumentException.class, () -> g.withParamData(Map.of("c", Tensor.zeros(DType.F32, new long[] {2}))));
        assertThrows(IllegalArgumentException.class, () -> g.withParamData(Map.of("a", Tensor.zeros(DType.F32, new long[] {3}))));
        assertThrows(IllegalArgumentException.class, () -> g.withParamData(Map.of("a", Tensor.zeros(DType.F64, new long[] {2}))));
    }

    @Test
    void builderRejectsValuesItDidNotMake() {
        GraphBuilder g = new GraphBuilder("g");
        g.input("x", f32(2), P);
        Value stranger = new Value(5, f32(2), "");
        assertThrows(IllegalArgumentException.class, () -> g.op("relu", List.of(stranger), Map.of(), P));
    }

    @Test
    void dimBoundsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DimBounds(5L, 4L));
        assertThrows(IllegalArgumentException.class, () -> new DimBounds(-1L, null));
        assertTrue(new DimBounds(1L, null).contains(1_000_000));
        assertFalse(new DimBounds(1L, 64L).contains(65));
    }

    @Test
    void unknownOpIsAnInternalError() {
        GraphBuilder g = new GraphBuilder("g");
        Value x = g.input("x", f32(2), P);
        assertThrows(IllegalArgumentException.class, () -> g.op("frobnicate", List.of(x), Map.of(), P));
    }
}
