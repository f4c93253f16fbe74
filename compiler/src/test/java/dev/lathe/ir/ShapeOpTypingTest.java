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

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeOpTypingTest {
    private final GraphBuilder g = new GraphBuilder("t");

    private TensorType reshape(TensorType x, Object... target) throws OpTypeException {
        return call(g, "reshape", ins(g.input("x", x, P)), Map.of("shape", List.of(target))).type();
    }

    @Test
    void reshapeCopiesZerosAndInfersMinusOne() throws OpTypeException {
        // 256 / 8 = 32
        assertEquals(f32(B, S, 8, 32), reshape(f32(B, S, 256), Dim.of(0), Dim.of(0), Dim.of(8), Dim.of(-1)));
        assertEquals(f32(B.times(6)), reshape(f32(B, 6), Dim.of(-1)));
        assertEquals(f32(B, S.times(64)), reshape(f32(B, S, 64), B, Dim.of(-1)));
        assertEquals(f32(B, S, 2, 32), reshape(f32(B, S, 64), Dim.of(0), Dim.of(0), Dim.of(-1), Dim.of(32)));
    }

    @Test
    void reshapeInferenceOfASymbolicQuotientIsAnExactDivision() throws OpTypeException {
        Dim half = S.divExact(Dim.of(2)).orElseThrow();
        TensorType t = reshape(f32(S), Dim.of(-1), Dim.of(2));
        assertEquals(f32(half, 2), t);
        assertEquals("f32[S / 2, 2]", t.toString());
    }

    @Test
    void reshapeErrors() {
        Value x = g.input("x", f32(10), P);
        assertEquals(ErrorCode.E0305, reshapeFails(x, Dim.of(4), Dim.of(-1)).code());
        Value y = g.input("y", f32(B, 6), P);
        OpTypeException e = reshapeFails(y, B, Dim.of(4));
        assertEquals(ErrorCode.E0301, e.code());
        assertEquals("shape mismatch in reshape: f32[B, 6] vs f32[B, 4] (sizes 6 * B and 4 * B)", e.getMessage());
        assertEquals(ErrorCode.E0307, reshapeFails(y, Dim.of(-1), Dim.of(-1)).code());
        assertEquals(ErrorCode.E0307, reshapeFails(y, Dim.of(-2), Dim.of(-3)).code());
        assertEquals(ErrorCode.E0301, reshapeFails(y, S, Dim.of(6)).code());
    }

    private OpTypeException reshapeFails(Value x, Object... target) {
        try {
            g.op("reshape", ins(x), Map.of("shape", List.of(target)), P);
        } catch (OpTypeException e) {
            return e;
        }
        throw new AssertionError("reshape to " + List.of(target) + " was accepted");
    }

    @Test
    void transposeDefaultsToReversal() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 64), P);
        assertEquals(f32(64, S, B), call(g, "transpose", ins(x), attrs("perm", new int[0])).type());
        assertEquals(f32(B, 64, S), call(g, "transpose", ins(x), attrs("perm", new int[] {0, -1, 1})).type());
        assertEquals(List.of(0, 2, 1), assertInstanceOf(Node.Transpose.class, g.build(List.of(), List.of()).nodes().get(1)).perm());
        fails(ErrorCode.E0307, g, "transpose", ins(x), attrs("perm", new int[] {0, 0, 1}));
        fails(ErrorCode.E0307, g, "transpose", ins(x), attrs("perm", new int[] {1, 0}));
    }

    @Test
    void flattenAtEveryAxis() throws OpTypeException {
        Dim n = Dim.var("N");
        Value x = g.input("x", f32(n, 3, 4, 5), P);
        assertEquals(f32(n, 60), call(g, "flatten", ins(x), attrs("axis", 1)).type());
        assertEquals(f32(1, n.times(60)), call(g, "flatten", ins(x), attrs("axis", 0)).type());
        assertEquals(f32(n.times(60), 1), call(g, "flatten", ins(x), attrs("axis", 4)).type());
        assertEquals(f32(n.times(12), 5), call(g, "flatten", ins(x), attrs("axis", -1)).type());
        fails(ErrorCode.E0303, g, "flatten", ins(x), attrs("axis", 5));
        fails(ErrorCode.E0303, g, "flatten", ins(x), attrs("axis", -5));
    }

    @Test
    void concatAddsTheAxisDims() throws OpTypeException {
        Value a = g.input("a", f32(B, S, 64), P);
        Value b = g.input("b", f32(B, S, 32), P);
        assertEquals(f32(B, S, 96), call(g, "concat", ins(a, b), attrs("axis", -1)).type());
        assertEquals(f32(B, S.times(2), 64), call(g, "concat", ins(a, a), attrs("axis", 1)).type());
        assertEquals("shape mismatch in concat: f32[B, S, 64] vs f32[B, S, 32]", fails(ErrorCode.E0301, g, "concat", ins(a, b), attrs("axis", 0)).getMessage());
        fails(ErrorCode.E0303, g, "concat", ins(a, g.input("c", f32(B, S), P)), attrs("axis", 0));
        fails(ErrorCode.E0302, g, "concat", ins(a, g.input("i", type(DType.I64, B, S, 64), P)), attrs("axis", 0));
    }

    @Test
    void splitIntoPartsOrSizes() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 256), P);
        List<Value> halves = g.op("split", ins(x), attrs("parts", 2, "axis", -1), P);
        assertEquals(List.of(f32(B, S, 128), f32(B, S, 128)), halves.stream().map(Value::type).toList());
        List<Value> parts = g.op("split", ins(x), attrs("sizes", new int[] {64, 192}, "axis", 2), P);
        assertEquals(List.of(f32(B, S, 64), f32(B, S, 192)), parts.stream().map(Value::type).toList());
        List<Value> qkv = g.op("split", ins(g.input("y", f32(B, S.times(3)), P)), attrs("parts", 3, "axis", 1), P);
        assertEquals(List.of(f32(B, S), f32(B, S), f32(B, S)), qkv.stream().map(Value::type).toList());
        Node.Split node = assertInstanceOf(Node.Split.class, g.build(List.of(), List.of()).nodes().get(1));
        assertEquals(List.of(Dim.of(64), Dim.of(192)), node.sizes());
        assertEquals(parts, node.outputs());
    }

    @Test
    void splitErrors() {
        Value x = g.input("x", f32(B, 256), P);
        assertEquals("split sizes [64, 64] add up to 128, but dim 1 of f32[B, 256] is 256",
                fails(ErrorCode.E0307, g, "split", ins(x), attrs("sizes", new int[] {64, 64}, "axis", 1)).getMessage());
        fails(ErrorCode.E0305, g, "split", ins(x), attrs("parts", 3, "axis", 1));
        fails(ErrorCode.E0307, g, "split", ins(x), attrs("parts", 2, "sizes", new int[] {128, 128}, "axis", 1));
        fails(ErrorCode.E0307, g, "split", ins(x), attrs("axis", 1));
        fails(ErrorCode.E0307, g, "split", ins(x), attrs("parts", 0, "axis", 1));
    }

    @Test
    void squeezeAndUnsqueeze() throws OpTypeException {
        Value x = g.input("x", f32(B, 1, 64, 1), P);
        assertEquals(f32(B, 64, 1), call(g, "squeeze", ins(x), attrs("axes", new int[] {1})).type());
        assertEquals(f32(B, 64), call(g, "squeeze", ins(x), attrs("axes", new int[0])).type());
        assertEquals(f32(B, 64), call(g, "squeeze", ins(x), attrs("axes", new int[] {-1, 1})).type());
        assertEquals("shape mismatch in squeeze: dim 0 of f32[B, 1, 64, 1] is B, not 1",
                fails(ErrorCode.E0301, g, "squeeze", ins(x), attrs("axes", new int[] {0})).getMessage());
        Value y = g.input("y", f32(B, 64), P);
        // Axes count in the output (rank 4): -1 is 3.
        assertEquals(f32(1, B, 64, 1), call(g, "unsqueeze", ins(y), attrs("axes", new int[] {0, -1})).type());
        assertEquals(f32(B, 1, 64), call(g, "unsqueeze", ins(y), attrs("axes", 1)).type());
        fails(ErrorCode.E0303, g, "unsqueeze", ins(y), attrs("axes", new int[] {3}));
        fails(ErrorCode.E0307, g, "unsqueeze", ins(y), attrs("axes", new int[] {0, 0}));
    }

    @Test
    void unsqueezePastTheRankLimitIsE0703() {
        Value x = g.input("x", f32(1, 1, 1, 1, 1, 1, 1, 1), P);
        fails(ErrorCode.E0703, g, "unsqueeze", ins(x), attrs("axes", new int[] {0}));
    }

    @Test
    void gatherAndEmbedding() throws OpTypeException {
        Value table = g.param("table", f32(1000, 64), P);
        Value idx = g.input("idx", type(DType.I64, B, S), P);
        assertEquals(f32(B, S, 64), call(g, "gather", ins(table, idx), attrs("axis", 0)).type());
        assertEquals(f32(B, S, 64), call(g, "embedding", ins(idx, table), Map.of()).type());
        Value x = g.input("x", f32(2, 3, 4), P);
        Value k = g.input("k", type(DType.I32, 5), P);
        assertEquals(f32(2, 5, 4), call(g, "gather", ins(x, k), attrs("axis", 1)).type());
        assertEquals(f32(2, 3), call(g, "gather", ins(x, g.input("one", type(DType.I64), P)), attrs("axis", -1)).type());
        assertEquals("gather needs integer indices, got f32[2, 3, 4]", fails(ErrorCode.E0302, g, "gather", ins(x, x), attrs("axis", 0)).getMessage());
        fails(ErrorCode.E0302, g, "embedding", ins(x, table), Map.of());
        fails(ErrorCode.E0303, g, "embedding", ins(idx, x), Map.of());
    }

    @Test
    void castParsesTheElementType() throws OpTypeException {
        Value x = g.input("x", f32(B, 3), P);
        assertEquals(type(DType.F16, B, 3), call(g, "cast", ins(x), attrs("dtype", "f16")).type());
        assertEquals(type(DType.BOOL, B, 3), call(g, "cast", ins(x), attrs("dtype", "bool")).type());
        assertEquals("cast dtype \"float\" is not an element type", fails(ErrorCode.E0307, g, "cast", ins(x), attrs("dtype", "float")).getMessage());
        fails(ErrorCode.E0307, g, "cast", ins(x), Map.of());
    }
}
