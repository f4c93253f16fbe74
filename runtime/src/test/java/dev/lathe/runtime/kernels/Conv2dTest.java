package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static dev.lathe.runtime.kernels.Close.scaleFor;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conv2d (im2col + GEMM, direct stride-1, and direct depthwise), both implementations, against the direct double loop. */
class Conv2dTest {
    /** batch, cin, h, w, cout, kh, kw, stride h/w, pads t/l/b/r, dilation h/w, groups. */
    private static final int[][] CASES = {
        {1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 4, 9, 7, 6, 3, 3, 2, 2, 1, 0, 2, 1, 1, 1, 1},
        {1, 2, 10, 11, 3, 3, 2, 1, 1, 2, 2, 2, 2, 2, 2, 1},
        {1, 4, 6, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2},
        {2, 5, 17, 19, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 5},
        {1, 6, 13, 40, 6, 5, 5, 2, 1, 2, 2, 2, 2, 1, 2, 6},
        {1, 3, 9, 70, 3, 3, 3, 1, 1, 0, 3, 0, 1, 2, 3, 3},
        {1, 16, 5, 5, 33, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1},
        {1, 1, 2, 3, 2, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1},
        {1, 64, 9, 9, 65, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 8, 28, 28, 16, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1},
        // the small CNN's stages (direct kernel: cin = 1, and 9 output channels leave a partial block)
        {3, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 5, 7, 9, 9, 3, 2, 1, 1, 0, 2, 1, 0, 2, 1, 1},
    };

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void matchesTheDirectLoop(boolean vector) {
        Random r = new Random(21);
        int index = 0;
        for (int[] c : CASES) {
            int batch = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], kh = c[5], kw = c[6];
            ConvGeometry g = new ConvGeometry(c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15]);
            int cg = cin / g.groups();
            Activation act = Activation.values()[index++ % Activation.values().length];
            float[] x = random(r, 3 + batch * cin * h * w);
            float[] wt = random(r, 1 + cout * cg * kh * kw);
            float[] bias = index % 3 == 0 ? null : random(r, 2 + cout);
            int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
            float[] out = new float[4 + batch * cout * oh * ow];
            Conv2d.run(vector, x, 3, batch, cin, h, w, wt, 1, cout, kh, kw, bias, 2, g, act, out, 4, Parallelism.of(2));
            float[] b0 = bias == null ? null : java.util.Arrays.copyOfRange(bias, 2, 2 + cout);
            double[] ref = Reference.conv2d(x, 3, batch, cin, h, w, wt, 1, cout, kh, kw, b0, g, act);
            assertClose("case " + (index - 1) + " " + g + " " + act, ref, out, 4, scaleFor(cg * kh * kw));
        }
    }

    /** Conv then pool equals the two kernels run one after the other, exactly (same sums, same max). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fusedMaxPoolEqualsConvThenPool(boolean vector) {
        Random r = new Random(8);
        int[][] cases = { // batch, cin, h, w, cout, k, pad, stride
            {2, 1, 28, 28, 16, 3, 1, 1}, {3, 16, 14, 14, 32, 3, 1, 1}, {1, 3, 9, 11, 10, 3, 1, 1}, {2, 4, 8, 7, 5, 2, 0, 1}, {1, 3, 11, 9, 4, 3, 1, 2},
        };
        for (int[] c : cases) {
            int batch = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5];
            ConvGeometry g = new ConvGeometry(c[7], c[7], c[6], c[6], c[6], c[6], 1, 1, 1);
            float[] x = random(r, batch * cin * h * w), wt = random(r, cout * cin * k * k), bias = random(r, cout);
            int oh = g.outputHeight(h, k), ow = g.outputWidth(w, k);
            float[] conv = new float[batch * cout * oh * ow];
            Conv2d.run(vector, x, 0, batch, cin, h, w, wt, 0, cout, k, k, bias, 0, g, Activation.RELU, conv, 0, Parallelism.SERIAL);
            float[] expected = new float[batch * cout * (oh / 2) * (ow / 2)];
            Pool2d.run(false, conv, 0, batch * cout, oh, ow, true, 2, 2, new ConvGeometry(2, 2, 0, 0, 0, 0, 1, 1, 1), expected, 0, oh / 2, ow / 2,
                    Parallelism.SERIAL);
            float[] fused = new float[1 + expected.length];
            Conv2d.runMaxPool2x2(vector, x, 0, batch, cin, h, w, wt, 0, cout, k, k, bias, 0, g, Activation.RELU, fused, 1, Parallelism.of(2));
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, java.util.Arrays.copyOfRange(fused, 1, fused.length), java.util.Arrays.toString(c));
        }
    }

    /**
     * 33 images of 129,632 padded floats: on 2 threads whole images are the tasks; on 9 threads (33 is
     * neither a multiple of 9 nor 4 x 9) the images are padded in groups of at most 32 that exceed the
     * direct kernel's group scratch, so they run in two groups. Both equal the scalar im2col.
     */
    @Test
    void largeBatchesRunPerImageOrInGroups() {
        Random r = new Random(3);
        int batch = 33, cin = 100, h = 34, w = 34, cout = 2;
        ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);
        float[] x = random(r, batch * cin * h * w), wt = random(r, cout * cin * 9), bias = random(r, cout);
        float[] im2col = new float[batch * cout * h * w];
        Conv2d.run(false, x, 0, batch, cin, h, w, wt, 0, cout, 3, 3, bias, 0, g, Activation.NONE, im2col, 0, Parallelism.SERIAL);
        for (int threads : new int[] {2, 9}) {
            float[] direct = new float[batch * cout * h * w];
            Conv2d.run(true, x, 0, batch, cin, h, w, wt, 0, cout, 3, 3, bias, 0, g, Activation.NONE, direct, 0, Parallelism.of(threads));
            assertClose("batch of 33 on " + threads + " threads", im2col, direct, scaleFor(cin * 9));
        }
    }

    @Test
    void vectorAndScalarAgreeOnRandomGeometries() {
        qt().withExamples(60).forAll(integers().between(1, 12), integers().between(1, 20), integers().between(0, 15), integers().between(0, 1 << 20))
                .checkAssert((channels, size, shape, seed) -> {
                    Random r = new Random(seed);
                    int groups = (shape & 1) != 0 ? channels : 1; // depthwise or dense
                    int k = 1 + (shape >> 1) % 4;
                    int stride = 1 + r.nextInt(2), pad = r.nextInt(k), dil = 1 + r.nextInt(2);
                    ConvGeometry g = new ConvGeometry(stride, stride, pad, pad, pad, pad, dil, dil, groups);
                    int span = dil * (k - 1) + 1;
                    int h = Math.max(size, span), w = Math.max(size + 3, span);
                    int cout = groups == 1 ? 1 + r.nextInt(20) : channels;
                    int cg = channels / groups;
                    float[] x = random(r, channels * h * w);
                    float[] wt = random(r, cout * cg * k * k);
                    float[] bias = random(r, cout);
                    int oh = g.outputHeight(h, k), ow = g.outputWidth(w, k);
                    float[] s = new float[cout * oh * ow], v = new float[cout * oh * ow];
                    Conv2d.run(false, x, 0, 1, channels, h, w, wt, 0, cout, k, k, bias, 0, g, Activation.RELU, s, 0, Parallelism.SERIAL);
                    Conv2d.run(true, x, 0, 1, channels, h, w, wt, 0, cout, k, k, bias, 0, g, Activation.RELU, v, 0, Parallelism.SERIAL);
                    assertClose(g + " k=" + k, s, v, scaleFor(cg * k * k));
                });
    }

    @Test
    void badGeometryIsRejected() {
        float[] x = new float[16], w = new float[9], out = new float[16];
        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(0, 1, 0, 0, 0, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(x, 0, 1, 1, 2, 2, w, 0, 1, 3, 3, null, 0, ConvGeometry.DEFAULT, Activation.NONE, out, 0, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(x, 0, 1, 3, 2, 2, w, 0, 3, 1, 1, null, 0, new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 1, 2), Activation.NONE,
                        out, 0, Parallelism.SERIAL));
    }
}
