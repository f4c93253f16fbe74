package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.S;
import static dev.lathe.ir.IrFixtures.attrs;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.ins;
import static dev.lathe.ir.IrFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostsTest {
    private final GraphBuilder g = new GraphBuilder("t");

    private Node node(String op, List<Value> inputs, Map<String, Object> attrs) throws OpTypeException {
        g.op(op, inputs, attrs, P);
        return g.build(List.of(), List.of()).nodes().getLast();
    }

    @Test
    void linearIsTwoMnkPlusTheBias() throws OpTypeException {
        Value x = g.input("x", f32(B, S, 256), P);
        Value w = g.param("w", f32(512, 256), P);
        Value b = g.param("b", f32(512), P);
        // 2 * 512 * 256 = 262144 per row, + 512 for the bias
        assertEquals(B.times(S).times(262144 + 512), Costs.flops(node("linear", ins(x, w, b), Map.of())));
        assertEquals(B.times(S).times(262144), Costs.flops(node("linear", ins(x, w), Map.of())));
    }

    @Test
    void matmul() throws OpTypeException {
        Value a = g.input("a", f32(2, 3, 4), P);
        Value b = g.input("b", f32(4, 5), P);
        assertEquals(Dim.of(2 * 2 * 3 * 5 * 4), Costs.flops(node("matmul", ins(a, b), Map.of()))); // 240
    }

    @Test
    void conv() throws OpTypeException {
        Value x = g.input("x", f32(1, 3, 32, 32), P);
        Value w = g.param("w", f32(16, 3, 3, 3), P);
        Value b = g.param("b", f32(16), P);
        // out [1, 16, 16, 16] = 4096 elements, 27 MACs each: 2 * 4096 * 27 = 221184, + 4096 for the bias
        assertEquals(Dim.of(225280), Costs.flops(node("conv2d", ins(x, w, b), attrs("stride", 2, "padding", 1))));
        Value dw = g.param("dw", f32(3, 1, 3, 3), P);
        // depthwise: out [1, 3, 32, 32] = 3072, 9 MACs each
        assertEquals(Dim.of(2 * 3072 * 9), Costs.flops(node("conv2d", ins(x, dw), attrs("padding", 1, "groups", 3))));
    }

    @Test
    void attention() throws OpTypeException {
        Value x = g.input("x", f32(2, 4, 8), P);
        // scores 2 * 4 * 4 = 32: 2 * 32 * (8 + 8) = 1024 for the two products, 5 * 32 * 2 heads = 320 for softmax
        assertEquals(Dim.of(1344), Costs.flops(node("attention", ins(x, x, x), attrs("heads", 2))));
    }

    @Test
    void elementwiseReductionsAndDataMovement() throws OpTypeException {
        Value x = g.input("x", f32(B, 10), P);
        assertEquals(B.times(10), Costs.flops(node("relu", ins(x), Map.of())));
        assertEquals(B.times(10), Costs.flops(node("sum", ins(x), attrs("axes", new int[] {1}))));
        assertEquals(B.times(50), Costs.flops(node("softmax", ins(x), attrs("axis", -1))));
        assertEquals(Dim.of(0), Costs.flops(node("transpose", ins(x), Map.of())));
        Value img = g.input("img", f32(1, 2, 4, 4), P);
        // out [1, 2, 2, 2] = 8 windows of 4
        assertEquals(Dim.of(32), Costs.flops(node("max_pool2d", ins(img), attrs("kernel", 2))));
    }

    @Test
    void graphTotals() throws OpTypeException {
        Value x = g.input("x", f32(B, 4), P);
        Value w = g.param("w", f32(3, 4), P);
        Value y = g.op("linear", ins(x, w), Map.of(), P).getFirst();
        Value z = g.op("relu", ins(y), Map.of(), P).getFirst();
        g.param("q", type(DType.I4, 3, 3), P);
        g.param("h", type(DType.F16, 10), P);
        Graph graph = g.build(List.of(z), List.of("z"));
        assertEquals(B.times(24 + 3), Costs.flops(graph));
        assertEquals(12 + 9 + 10, Costs.params(graph));
        assertEquals(48 + 5 + 20, Costs.bytes(graph)); // i4 packs two per byte: 9 -> 5
        assertEquals(12, Costs.paramCount(graph.param("w")));
        assertEquals(48, Costs.bytes(graph.param("w")));
    }
}
