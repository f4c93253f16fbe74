package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.S;
import static dev.lathe.ir.IrFixtures.attrs;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.ins;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.diag.SourceSpan;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrPrinterTest {
    private static Provenance at(int line, int col, String path) {
        return new Provenance(new SourceSpan("tiny.model", line, col, 1), path);
    }

    @Test
    void printsDimsInputsParamsNodesAndOutputs() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("tiny");
        g.dim("B", 1L, 64L);
        g.dim("S", null, null);
        Value x = g.input("x", f32(B, S, 256), at(3, 12, ""));
        Value w = g.param("blk.0.q.weight", f32(256, 256), at(20, 3, "blk.0.q"));
        Value b = g.param("blk.0.q.bias", f32(256), at(20, 3, "blk.0.q"));
        Value y = g.op("linear", ins(x, w, b), Map.of(), at(20, 3, "blk.0.q")).getFirst();
        Value z = g.op("softmax", ins(y), attrs("axis", -1), Provenance.NONE).getFirst();
        List<Value> halves = g.op("split", ins(z), attrs("parts", 2, "axis", 2), Provenance.NONE);
        Graph graph = g.build(List.of(halves.get(1)), List.of("out"));
        String expected = """
                graph tiny
                  dim B in 1..64
                  dim S
                  input %0 x: f32[B, S, 256]  (tiny.model:3:12)
                  param %1 blk.0.q.weight: f32[256, 256]  @ blk.0.q  (tiny.model:20:3)
                  param %2 blk.0.q.bias: f32[256]  @ blk.0.q  (tiny.model:20:3)
                  %3: f32[B, S, 256] = linear(%0, %1, %2)  @ blk.0.q  (tiny.model:20:3)
                  %4: f32[B, S, 256] = softmax(%3, axis=2)
                  %5: f32[B, S, 128], %6: f32[B, S, 128] = split(%4, sizes=[128, 128], axis=2)
                  output out = %6: f32[B, S, 128]
                """;
        assertEquals(expected, IrPrinter.print(graph));
        assertEquals(expected, IrPrinter.print(graph), "printing is deterministic");
    }

    @Test
    void attributesAndConstants() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("g");
        Value x = g.input("x", f32(B, 8, 8, 8), Provenance.NONE);
        Value w = g.param("w", f32(4, 8, 3, 3), Provenance.NONE);
        Value c = g.op("conv2d", ins(x, w), attrs("stride", 2, "padding", 1, "groups", 1), Provenance.NONE).getFirst();
        Value k = g.constant(Tensor.ofFloats(new long[] {2}, new float[] {0.1f, -2f}), Provenance.NONE);
        Value i = g.op("cast", ins(k), attrs("dtype", "i32"), Provenance.NONE).getFirst();
        Graph graph = g.build(List.of(c, i), List.of("c", "i")).withParamData(Map.of("w", Tensor.zeros(DType.F32, new long[] {4, 8, 3, 3})));
        String[] lines = IrPrinter.print(graph).split("\n");
        assertEquals("  param %1 w: f32[4, 8, 3, 3] (bound)", lines[2]);
        assertEquals("  %2: f32[B, 4, 4, 4] = conv2d(%0, %1, stride=[2, 2], padding=[1, 1, 1, 1], dilation=[1, 1], groups=1)", lines[3]);
        assertEquals("  %3: f32[2] = constant(value=[0.1, -2.0])", lines[4]);
        assertEquals("  %4: i32[2] = cast(%3, dtype=i32)", lines[5]);
        assertEquals(DType.I32, i.type().dtype());
    }
}
