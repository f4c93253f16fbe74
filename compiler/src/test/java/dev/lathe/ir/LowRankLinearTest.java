package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typing, costs, printing and verification of the compressed op lowrank_linear. */
class LowRankLinearTest {
    @Test
    void typesLikeTheLinearLayerItReplaces() throws OpTypeException {
        assertEquals(f32(B, 3, 8), OpTyping.lowRankLinear(f32(B, 3, 6), f32(2, 6), f32(8, 2), f32(8)));
        assertEquals(f32(8), OpTyping.lowRankLinear(f32(6), f32(2, 6), f32(8, 2), null));
    }

    @Test
    void rejectsFactorsThatDoNotChain() {
        assertThrows(OpTypeException.class, () -> OpTyping.lowRankLinear(f32(B, 5), f32(2, 6), f32(8, 2), null));
        assertThrows(OpTypeException.class, () -> OpTyping.lowRankLinear(f32(B, 6), f32(2, 6), f32(8, 3), null));
        assertThrows(OpTypeException.class, () -> OpTyping.lowRankLinear(f32(B, 6), f32(2, 6), f32(8, 2), f32(7)));
        assertThrows(OpTypeException.class, () -> OpTyping.lowRankLinear(f32(B, 6), IrFixtures.type(DType.F64, 2, 6), f32(8, 2), null));
        assertThrows(OpTypeException.class, () -> OpTyping.lowRankLinear(IrFixtures.type(DType.I32, B, 6), IrFixtures.type(DType.I32, 2, 6),
                IrFixtures.type(DType.I32, 8, 2), null));
    }

    @Test
    void costsTwoThinProductsAndTheBias() {
        Value x = new Value(0, f32(B, 6), "x");
        Value a = new Value(1, f32(2, 6), "a");
        Value b = new Value(2, f32(8, 2), "b");
        Value bias = new Value(3, f32(8), "bias");
        Node n = new Node.LowRankLinear(x, a, b, bias, new Value(4, f32(B, 8), ""), P);
        // 2 * B * 6 * 2 + 2 * B * 8 * 2 + B * 8
        assertEquals(B.times(64), Costs.flops(n));
        assertEquals(2, ((Node.LowRankLinear) n).rank());
        assertEquals("%4: f32[B, 8] = lowrank_linear(%0, %1, %2, %3, rank=2)", IrPrinter.line(n));
        assertThrows(IllegalArgumentException.class, () -> new Node.LowRankLinear(x, a, b, bias, new Value(4, f32(B, 7), ""), P));
    }

    @Test
    void theVerifierAcceptsIt() {
        Value x = new Value(0, f32(B, 6), "x");
        Value a = new Value(1, f32(2, 6), "a");
        Value b = new Value(2, f32(8, 2), "b");
        Value out = new Value(3, f32(B, 8), "");
        Graph g = new Graph("g", List.of(new GraphInput("x", x, P)), List.of(new Param("a", a, P, null), new Param("b", b, P, null)),
                List.of(new Node.LowRankLinear(x, a, b, null, out, P)), List.of(new GraphOutput("y", out)), Map.of("B", DimBounds.UNBOUNDED));
        assertTrue(IrVerifier.verify(g).isEmpty(), IrVerifier.verify(g).toString());
    }
}
