package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.S;
import static dev.lathe.ir.IrFixtures.attrs;
import static dev.lathe.ir.IrFixtures.call;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.fails;
import static dev.lathe.ir.IrFixtures.ins;
import static dev.lathe.ir.IrFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionTypingTest {
    private static final Dim T = Dim.var("T");
    private final GraphBuilder g = new GraphBuilder("t");

    private Node.Attention last() {
        List<Node> nodes = g.build(List.of(), List.of()).nodes();
        return assertInstanceOf(Node.Attention.class, nodes.getLast());
    }

    @Test
    void crossAttentionShapesAndDefaultScale() throws OpTypeException {
        Value q = g.input("q", f32(B, S, 256), P);
        Value k = g.input("k", f32(B, T, 256), P);
        Value v = g.input("v", f32(B, T, 128), P);
        assertEquals(f32(B, S, 128), call(g, "attention", ins(q, k, v, null), attrs("heads", 8, "causal", true)).type());
        Node.Attention n = last();
        assertEquals(1 / Math.sqrt(32), n.scale(), 1e-15); // head dim 256 / 8
        assertTrue(n.causal());
        assertEquals(List.of(q, k, v), n.inputs());
    }

    @Test
    void explicitScaleAndMasks() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 64), P);
        Value boolMask = g.input("m", type(DType.BOOL, S, S), P);
        call(g, "attention", ins(x, x, x, boolMask), attrs("heads", 4, "scale", 0.5));
        assertEquals(0.5, last().scale());
        assertFalse(last().causal());
        Value additive = g.input("a", f32(B, 1, 1, S), P);
        assertEquals(f32(B, S, 64), call(g, "attention", ins(x, x, x, additive), attrs("heads", 4)).type());
    }

    @Test
    void symbolicModelDimLeavesTheScaleForRunTime() throws OpTypeException {
        Dim d = Dim.var("D");
        Value x = g.input("x", f32(B, S, d.times(4)), P);
        call(g, "attention", ins(x, x, x), attrs("heads", 2));
        Node.Attention n = last();
        assertTrue(Double.isNaN(n.scale()));
        assertEquals(1 / Math.sqrt(8), n.scaleFor(8));
    }

    @Test
    void errors() {
        Value q = g.input("q", f32(B, S, 256), P);
        Value k = g.input("k", f32(B, T, 128), P);
        assertEquals("attention: dim 256 of f32[B, S, 256] is not divisible by heads = 3",
                fails(ErrorCode.E0305, g, "attention", ins(q, q, q), attrs("heads", 3)).getMessage());
        assertEquals("shape mismatch in attention: f32[B, S, 256] vs f32[B, T, 128]",
                fails(ErrorCode.E0301, g, "attention", ins(q, k, k), attrs("heads", 2)).getMessage());
        Value wrongMask = g.input("m", type(DType.BOOL, S, T), P);
        assertEquals("shape mismatch in attention: mask bool[S, T] vs scores bool[B, 2, S, S]",
                fails(ErrorCode.E0301, g, "attention", ins(q, q, q, wrongMask), attrs("heads", 2)).getMessage());
        fails(ErrorCode.E0302, g, "attention", ins(q, q, q, g.input("im", type(DType.I64, S, S), P)), attrs("heads", 2));
        fails(ErrorCode.E0303, g, "attention", ins(g.input("q4", f32(B, 2, S, 256), P), q, q), attrs("heads", 2));
        fails(ErrorCode.E0307, g, "attention", ins(q, q, q), attrs("heads", 0));
        fails(ErrorCode.E0307, g, "attention", ins(q, q, q), attrs("causal", true));
        fails(ErrorCode.E0302, g, "attention", ins(g.input("qi", type(DType.I64, B, S, 256), P), q, q), attrs("heads", 2));
    }
}
