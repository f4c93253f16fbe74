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

class LinearAlgebraTypingTest {
    private final GraphBuilder g = new GraphBuilder("t");

    private TensorType matmul(TensorType a, TensorType b) throws OpTypeException {
        return call(g, "matmul", ins(g.input("a", a, P), g.input("b", b, P)), Map.of()).type();
    }

    @Test
    void matmulOfBatchedActivationsAndAMatrix() throws OpTypeException {
        assertEquals(f32(B, S, 1024), matmul(f32(B, S, 256), f32(256, 1024)));
    }

    @Test
    void matmulBroadcastsBatchDims() throws OpTypeException {
        assertEquals(f32(2, 3, 5, 7), matmul(f32(2, 1, 5, 4), f32(3, 4, 7)));
        assertEquals(f32(B, 8, S, S), matmul(f32(B, 8, S, 32), f32(B, 8, 32, S)));
    }

    @Test
    void matmulPromotesVectorsAndDropsTheAddedDim() throws OpTypeException {
        assertEquals(f32(), matmul(f32(4), f32(4)));
        assertEquals(f32(B, S), matmul(f32(B, S, 4), f32(4)));
        assertEquals(f32(B, 6), matmul(f32(4), f32(B, 4, 6)));
    }

    @Test
    void matmulInnerDimsMustAgree() {
        Value a = g.input("a", f32(B, S, 256), P);
        Value b = g.input("b", f32(128, 64), P);
        assertEquals("shape mismatch in matmul: f32[B, S, 256] vs f32[128, 64]", fails(ErrorCode.E0301, g, "matmul", ins(a, b), Map.of()).getMessage());
        Value scalar = g.input("s", f32(), P);
        fails(ErrorCode.E0303, g, "matmul", ins(scalar, b), Map.of());
    }

    @Test
    void linearMapsTheLastDim() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 256), P);
        Value w = g.param("w", f32(512, 256), P);
        Value b = g.param("b", f32(512), P);
        assertEquals(f32(B, S, 512), call(g, "linear", ins(x, w, b), Map.of()).type());
        assertEquals(f32(B, S, 512), call(g, "linear", ins(x, w, null), Map.of()).type());
        assertEquals(f32(B, S, 512), call(g, "linear", ins(x, w), Map.of()).type());
        Value badBias = g.param("bb", f32(256), P);
        assertEquals("shape mismatch in linear: f32[512, 256] vs f32[256]", fails(ErrorCode.E0301, g, "linear", ins(x, w, badBias), Map.of()).getMessage());
        fails(ErrorCode.E0301, g, "linear", ins(x, g.param("wt", f32(256, 512), P)), Map.of());
        fails(ErrorCode.E0303, g, "linear", ins(x, g.param("w3", f32(2, 512, 256), P)), Map.of());
    }

    @Test
    void reductionsNormalizeAxesAndKeepOrDropDims() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 64), P);
        assertEquals(f32(B, 1, 64), call(g, "sum", ins(x), attrs("axes", new int[] {1}, "keepdims", true)).type());
        assertEquals(f32(B), call(g, "mean", ins(x), attrs("axes", new int[] {-1, 1}, "keepdims", false)).type());
        assertEquals(f32(), call(g, "sum", ins(x), attrs("axes", new int[0], "keepdims", false)).type());
        Graph graph = g.build(List.of(), List.of());
        assertEquals(List.of(1, 2), assertInstanceOf(Node.Reduce.class, graph.nodes().get(1)).axes());
        assertEquals(List.of(0, 1, 2), assertInstanceOf(Node.Reduce.class, graph.nodes().get(2)).axes());
    }

    @Test
    void reductionErrors() {
        Value x = g.input("x", f32(B, S, 64), P);
        assertEquals("sum axis 3 is out of range for rank 3", fails(ErrorCode.E0303, g, "sum", ins(x), attrs("axes", new int[] {3})).getMessage());
        fails(ErrorCode.E0303, g, "sum", ins(x), attrs("axes", new int[] {-4}));
        fails(ErrorCode.E0307, g, "sum", ins(x), attrs("axes", new int[] {1, -2}));
        fails(ErrorCode.E0302, g, "mean", ins(g.input("i", type(DType.I64, 3), P)), Map.of());
    }

    @Test
    void argmaxGivesI64OverOneAxis() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 10), P);
        assertEquals(type(DType.I64, B, S), call(g, "argmax", ins(x), attrs("axes", new int[] {-1}, "keepdims", false)).type());
        assertEquals(type(DType.I64, B, 1, 10), call(g, "argmax", ins(x), attrs("axes", 1, "keepdims", true)).type());
        fails(ErrorCode.E0307, g, "argmax", ins(x), attrs("axes", new int[] {0, 1}));
    }

    @Test
    void softmaxAxis() throws OpTypeException {
        Value x = g.input("x", f32(B, 8, S, S), P);
        call(g, "log_softmax", ins(x), attrs("axis", -1));
        Node.Softmax n = assertInstanceOf(Node.Softmax.class, g.build(List.of(), List.of()).nodes().getFirst());
        assertEquals(3, n.axis());
        assertEquals("log_softmax", n.opName());
        assertEquals("softmax axis 4 is out of range for rank 4", fails(ErrorCode.E0303, g, "softmax", ins(x), attrs("axis", 4)).getMessage());
        fails(ErrorCode.E0302, g, "softmax", ins(g.input("i", type(DType.I32, 2), P)), attrs("axis", 0));
        fails(ErrorCode.E0307, g, "softmax", ins(x), attrs("axis", S));
    }

    @Test
    void normalizations() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 64), P);
        Value w = g.param("w", f32(64), P);
        Value b = g.param("b", f32(64), P);
        assertEquals(f32(B, S, 64), call(g, "layer_norm", ins(x, w, b), attrs("axis", -1, "eps", 1e-5)).type());
        assertEquals(f32(B, S, 64), call(g, "layer_norm", ins(x, g.param("w2", f32(S, 64), P), null), attrs("axis", 1)).type());
        assertEquals(f32(B, S, 64), call(g, "rms_norm", ins(x, w), attrs("eps", 1e-6)).type());
        Value wrong = g.param("wrong", f32(32), P);
        assertEquals("shape mismatch in layer_norm: f32[B, S, 64] vs f32[32]", fails(ErrorCode.E0301, g, "layer_norm", ins(x, wrong), Map.of()).getMessage());
        fails(ErrorCode.E0301, g, "rms_norm", ins(x, wrong), Map.of());

        Value img = g.input("img", f32(B, 16, 8, 8), P);
        Value c = g.param("c", f32(16), P);
        assertEquals(f32(B, 16, 8, 8), call(g, "batch_norm", ins(img, c, c, c, c), attrs("eps", 1e-5)).type());
        fails(ErrorCode.E0301, g, "batch_norm", ins(img, c, c, c, w), Map.of());
        fails(ErrorCode.E0303, g, "batch_norm", ins(w, w, w, w, w), Map.of());
    }
}
