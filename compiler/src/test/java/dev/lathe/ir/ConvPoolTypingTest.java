package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.attrs;
import static dev.lathe.ir.IrFixtures.call;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.fails;
import static dev.lathe.ir.IrFixtures.ins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lathe.diag.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvPoolTypingTest {
    private static final Dim N = Dim.var("N");
    private static final Dim H = Dim.var("H");
    private static final Dim W = Dim.var("W");
    private final GraphBuilder g = new GraphBuilder("t");

    @Test
    void strideTwoPadOneHalvesThirtyTwo() throws OpTypeException {
        Value x = g.input("x", f32(N, 3, 32, 32), P);
        Value w = g.param("w", f32(16, 3, 3, 3), P);
        Value b = g.param("b", f32(16), P);
        // (32 + 1 + 1 - 3) // 2 + 1 = 16
        Value y = call(g, "conv2d", ins(x, w, b), attrs("stride", 2, "padding", 1, "dilation", new int[] {1}, "groups", 1));
        assertEquals(f32(N, 16, 16, 16), y.type());
        Node.Conv2d n = assertInstanceOf(Node.Conv2d.class, g.build(List.of(y), List.of("y")).nodes().getFirst());
        assertEquals(List.of(2, 2), n.stride());
        assertEquals(List.of(1, 1, 1, 1), n.pads());
        assertEquals(List.of(1, 1), n.dilation());
    }

    @Test
    void asymmetricPaddingAndDilation() throws OpTypeException {
        Value x = g.input("x", f32(1, 2, 10, 12), P);
        Value w = g.param("w", f32(4, 2, 3, 3), P);
        // pads [top, left, bottom, right] = [0, 1, 2, 3]: H (10 + 0 + 2 - 3) // 1 + 1 = 10, W (12 + 1 + 3 - 3) + 1 = 14
        assertEquals(f32(1, 4, 10, 14), call(g, "conv2d", ins(x, w), attrs("padding", new int[] {0, 1, 2, 3})).type());
        // [h, w] = [1, 2]: H 10 + 2 - 3 + 1 = 10, W 12 + 4 - 3 + 1 = 14
        assertEquals(f32(1, 4, 10, 14), call(g, "conv2d", ins(x, w), attrs("padding", new int[] {1, 2})).type());
        // dilation 2 spans 5: H 10 - 5 + 1 = 6, W 12 - 5 + 1 = 8
        assertEquals(f32(1, 4, 6, 8), call(g, "conv2d", ins(x, w), attrs("dilation", 2)).type());
    }

    @Test
    void symbolicSpatialDims() throws OpTypeException {
        Value x = g.input("x", f32(N, 8, H, W), P);
        Value depthwise = g.param("dw", f32(8, 1, 3, 3), P);
        assertEquals(f32(N, 8, H, W), call(g, "conv2d", ins(x, depthwise), attrs("padding", 1, "groups", 8)).type());
        Value w = g.param("w", f32(8, 8, 3, 3), P);
        Dim half = H.minus(Dim.of(1)).floorDiv(Dim.of(2)).plus(1);
        TensorType t = call(g, "conv2d", ins(x, w), attrs("stride", 2, "padding", 1)).type();
        assertEquals(half, t.dim(2));
        assertEquals("f32[N, 8, ((H - 1) // 2) + 1, ((W - 1) // 2) + 1]", t.toString());
    }

    @Test
    void convErrors() {
        Value x = g.input("x", f32(1, 3, 8, 8), P);
        Value w = g.param("w", f32(6, 3, 3, 3), P);
        assertEquals("conv2d groups = 2 does not divide the 3 input channels of f32[1, 3, 8, 8]",
                fails(ErrorCode.E0307, g, "conv2d", ins(x, w), attrs("groups", 2)).getMessage());
        fails(ErrorCode.E0301, g, "conv2d", ins(x, g.param("w4", f32(6, 4, 3, 3), P)), Map.of());
        fails(ErrorCode.E0301, g, "conv2d", ins(x, w, g.param("b", f32(5), P)), Map.of());
        fails(ErrorCode.E0303, g, "conv2d", ins(g.input("flat", f32(3, 8, 8), P), w), Map.of());
        fails(ErrorCode.E0307, g, "conv2d", ins(x, w), attrs("stride", 0));
        fails(ErrorCode.E0307, g, "conv2d", ins(x, w), attrs("padding", new int[] {1, 1, 1}));
        fails(ErrorCode.E0307, g, "conv2d", ins(x, w), attrs("stride", new int[] {1, 2, 3}));
        fails(ErrorCode.E0301, g, "conv2d", ins(x, g.param("big", f32(6, 3, 9, 9), P)), Map.of());
    }

    @Test
    void poolingDefaultsStrideToKernel() throws OpTypeException {
        Value x = g.input("x", f32(N, 16, 32, 32), P);
        assertEquals(f32(N, 16, 16, 16), call(g, "max_pool2d", ins(x), attrs("kernel", 2, "stride", new int[0], "padding", 0)).type());
        assertEquals(f32(N, 16, 32, 32), call(g, "avg_pool2d", ins(x), attrs("kernel", 3, "stride", 1, "padding", 1)).type());
        // (32 + 1 - 3) // 2 + 1 = 16 rows, (32 - 2) // 2 + 1 = 16 cols
        assertEquals(f32(N, 16, 16, 16), call(g, "max_pool2d", ins(x), attrs("kernel", new int[] {3, 2}, "stride", 2, "padding", new int[] {1, 0, 0, 0})).type());
        assertEquals(f32(N, 16, 1, 1), call(g, "global_avg_pool", ins(x), Map.of()).type());
        Node.Pool2d n = assertInstanceOf(Node.Pool2d.class, g.build(List.of(), List.of()).nodes().getFirst());
        assertEquals(List.of(2, 2), n.stride());
        assertEquals("max_pool2d", n.opName());
        fails(ErrorCode.E0307, g, "max_pool2d", ins(x), attrs("kernel", 2, "padding", 2));
        fails(ErrorCode.E0307, g, "avg_pool2d", ins(x), Map.of());
        fails(ErrorCode.E0303, g, "global_avg_pool", ins(g.input("v", f32(4), P)), Map.of());
    }

    @Test
    void outputSizeCountsTheWindowPositions() {
        // Independent oracle: slide the (dilated) window over the padded input and count where it fits.
        // QuickTheories takes at most four generators: padding (0..3) and dilation (1..2) share one.
        qt().forAll(integers().between(1, 20), integers().between(1, 4), integers().between(1, 3), integers().between(0, 7))
                .checkAssert((in, k, s, pd) -> {
                    int p = pd % 4;
                    int d = pd / 4 + 1;
                    int span = d * (k - 1) + 1;
                    long count = 0;
                    for (int start = -p; start + span <= in + p; start += s) count++;
                    Dim got = OpTyping.convOutputSize(Dim.of(in), Dim.of(k), s, p, p, d);
                    if (count > 0) assertEquals(Dim.of(count), got, "in=" + in + " k=" + k + " s=" + s + " p=" + p + " d=" + d);
                });
    }
}
