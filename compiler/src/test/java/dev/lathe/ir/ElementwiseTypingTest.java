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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElementwiseTypingTest {
    private final GraphBuilder g = new GraphBuilder("t");

    @Test
    void broadcastAlignsFromTheRight() throws OpTypeException {
        Value a = g.input("a", f32(B, 1, 64), P);
        Value b = g.input("b", f32(S, 64), P);
        assertEquals(f32(B, S, 64), call(g, "add", ins(a, b), Map.of()).type());
    }

    @Test
    void broadcastKeepsTheNonOneSymbolicDim() throws OpTypeException {
        Value a = g.input("a", f32(B, 1), P);
        Value b = g.input("b", f32(1, S.times(2)), P);
        assertEquals(f32(B, S.times(2)), call(g, "mul", ins(a, b), Map.of()).type());
    }

    @Test
    void mismatchPrintsBothShapesAsWritten() {
        Value a = g.input("a", f32(B, 128), P);
        Value b = g.input("b", f32(B, 64), P);
        OpTypeException e = fails(ErrorCode.E0301, g, "add", ins(a, b), Map.of());
        assertEquals("shape mismatch in add: f32[B, 128] vs f32[B, 64]", e.getMessage());
    }

    @Test
    void twoDifferentSymbolicDimsDoNotBroadcast() {
        Value a = g.input("a", f32(B), P);
        Value b = g.input("b", f32(S), P);
        assertEquals("shape mismatch in sub: f32[B] vs f32[S]", fails(ErrorCode.E0301, g, "sub", ins(a, b), Map.of()).getMessage());
    }

    @Test
    void binaryNeedsOneNumericElementType() {
        Value f = g.input("f", f32(4), P);
        Value i = g.input("i", type(DType.I64, 4), P);
        Value c = g.input("c", type(DType.BOOL, 4), P);
        assertEquals("element type mismatch in div: f32[4] vs i64[4]", fails(ErrorCode.E0302, g, "div", ins(f, i), Map.of()).getMessage());
        fails(ErrorCode.E0302, g, "add", ins(c, c), Map.of());
    }

    @Test
    void integerArithmeticIsAllowed() throws OpTypeException {
        Value i = g.input("i", type(DType.I32, B), P);
        assertEquals(type(DType.I32, B), call(g, "pow", ins(i, i), Map.of()).type());
        assertEquals(type(DType.I32, B), call(g, "neg", ins(i), Map.of()).type());
    }

    @Test
    void floatFunctionsRejectIntegers() {
        Value i = g.input("i", type(DType.I64, 3), P);
        for (String op : List.of("exp", "log", "sqrt", "rsqrt", "erf", "tanh", "sigmoid", "silu", "softplus", "gelu", "leaky_relu")) {
            OpTypeException e = fails(ErrorCode.E0302, g, op, ins(i), Map.of());
            assertEquals(op + " needs a float input, got i64[3]", e.getMessage());
        }
    }

    @Test
    void comparisonsGiveBool() throws OpTypeException {
        Value a = g.input("a", f32(B, 1), P);
        Value b = g.input("b", f32(5), P);
        Value lt = call(g, "less", ins(a, b), Map.of());
        assertEquals(type(DType.BOOL, B, 5), lt.type());
        Value flag = g.input("flag", type(DType.BOOL, 5), P);
        assertEquals(type(DType.BOOL, 5), call(g, "equal", ins(flag, flag), Map.of()).type());
        fails(ErrorCode.E0302, g, "greater", ins(flag, flag), Map.of());
    }

    @Test
    void whereBroadcastsAllThreeAndNeedsBool() throws OpTypeException {
        Value cond = g.input("cond", type(DType.BOOL, B, 1, 1), P);
        Value a = g.input("a", f32(1, S, 1), P);
        Value b = g.input("b", f32(8), P);
        assertEquals(f32(B, S, 8), call(g, "where", ins(cond, a, b), Map.of()).type());
        fails(ErrorCode.E0302, g, "where", ins(a, a, b), Map.of());
        Value wide = g.input("wide", type(DType.BOOL, 3), P);
        assertEquals("shape mismatch in where: bool[3] vs f32[1, S, 1] vs f32[8]",
                fails(ErrorCode.E0301, g, "where", ins(wide, a, b), Map.of()).getMessage());
    }

    @Test
    void maxWithTwoInputsIsElementwiseAndWithOneAReduction() throws OpTypeException {
        Value a = g.input("a", f32(B, 4), P);
        Value b = g.input("b", f32(4), P);
        g.op("max", ins(a, b), attrs("axes", new int[0], "keepdims", false), P);
        g.op("min", ins(a, null), attrs("axes", new int[] {-1}, "keepdims", true), P);
        Graph graph = g.build(List.of(), List.of());
        Node.Binary max = assertInstanceOf(Node.Binary.class, graph.nodes().get(0));
        assertEquals(Node.BinaryKind.MAX, max.kind());
        assertEquals(f32(B, 4), max.out().type());
        Node.Reduce min = assertInstanceOf(Node.Reduce.class, graph.nodes().get(1));
        assertEquals(Node.ReduceKind.MIN, min.kind());
        assertEquals(List.of(1), min.axes());
        assertEquals(f32(B, 1), min.out().type());
        fails(ErrorCode.E0307, g, "max", ins(a, b), attrs("axes", new int[] {0}, "keepdims", false));
    }

    @Test
    void geluModeAndScalarAttributes() throws OpTypeException {
        Value x = g.input("x", f32(B), P);
        call(g, "gelu", ins(x), attrs("mode", "tanh"));
        call(g, "leaky_relu", ins(x), attrs("alpha", 1)); // an int literal for a float attribute
        call(g, "clip", ins(x), attrs("min", 0.0));
        Graph graph = g.build(List.of(), List.of());
        assertTrue(assertInstanceOf(Node.Gelu.class, graph.nodes().get(0)).tanhApproximation());
        assertEquals(1.0, assertInstanceOf(Node.LeakyRelu.class, graph.nodes().get(1)).alpha());
        Node.Clip clip = assertInstanceOf(Node.Clip.class, graph.nodes().get(2));
        assertEquals(0.0, clip.min());
        assertNull(clip.max());
        assertEquals("gelu mode must be \"erf\" or \"tanh\", got \"fast\"",
                fails(ErrorCode.E0307, g, "gelu", ins(x), attrs("mode", "fast")).getMessage());
        fails(ErrorCode.E0307, g, "leaky_relu", ins(x), attrs("alpha", "big"));
        fails(ErrorCode.E0307, g, "relu", ins(x), attrs("alpha", 0.5));
    }

    @Test
    void broadcastIsSymmetricAndMatchesTheNumpyRuleOnConstants() {
        // Independent oracle: numpy's rule per aligned position, written directly.
        qt().forAll(lists().of(integers().between(1, 3)).ofSizeBetween(0, 4), lists().of(integers().between(1, 3)).ofSizeBetween(0, 4))
                .checkAssert((as, bs) -> {
                    List<Dim> a = as.stream().map(Dim::of).toList();
                    List<Dim> b = bs.stream().map(Dim::of).toList();
                    List<Dim> ab = OpTyping.broadcastShapes(a, b);
                    assertEquals(ab, OpTyping.broadcastShapes(b, a));
                    int rank = Math.max(as.size(), bs.size());
                    boolean ok = true;
                    long[] expected = new long[rank];
                    for (int i = 0; i < rank; i++) {
                        int x = i - (rank - as.size()) < 0 ? 1 : as.get(i - (rank - as.size()));
                        int y = i - (rank - bs.size()) < 0 ? 1 : bs.get(i - (rank - bs.size()));
                        if (x != y && x != 1 && y != 1) ok = false;
                        expected[i] = Math.max(x, y);
                    }
                    if (!ok) {
                        assertNull(ab);
                    } else {
                        assertEquals(TensorType.of(DType.F32, expected).shape(), ab);
                    }
                });
    }
}
