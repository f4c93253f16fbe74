package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static dev.lathe.runtime.kernels.Close.scaleFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2d on weights packed at load ({@link ConvWeights}): the implicit GEMM (vector and scalar; with
 * 512-bit vectors the stride-1 cases of the "implicit" packing run {@link ConvRowsVector}) and the
 * direct kernel on its packed blocks, against the double loop of {@link Reference#conv2d}, against each
 * other bit for bit, and with the fused 2x2 max pool.
 */
class ConvPackedTest {
    /** batch, cin, h, w, cout, kh, kw, stride h/w, pads t/l/b/r, dilation h/w (one group). */
    private static final int[][] CASES = {
        {1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {2, 4, 9, 7, 6, 3, 3, 2, 2, 1, 0, 2, 1, 1, 1},     // stride 2, uneven pads
        {1, 2, 10, 11, 3, 3, 2, 1, 1, 2, 2, 2, 2, 2, 2},   // dilation 2
        {1, 6, 13, 40, 33, 5, 5, 2, 1, 2, 2, 2, 2, 1, 2},  // cout past one panel
        {1, 16, 5, 5, 33, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
        {1, 1, 2, 3, 2, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1},     // window larger than the image
        {1, 64, 9, 9, 65, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {3, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // the small CNN's stages
        {2, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 16, 7, 7, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // odd sizes: 49 pixels, 3x3 pooled
        {2, 5, 7, 9, 9, 3, 2, 1, 1, 0, 2, 1, 0, 2, 1},
        {1, 8, 16, 15, 24, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // stride 2, odd width
    };

    /** The packing a kernel reads: the direct kernel's blocks, the implicit GEMM's vector panels, or the scalar width. */
    private static ConvWeights pack(String kernel, float[] wt, int off, int cout, int cin, int kh, int kw) {
        return switch (kernel) {
            case "direct" -> ConvWeights.pack(wt, off, cout, cin, kh, kw, true, ConvDirectVector.MR);
            case "implicit" -> ConvWeights.pack(wt, off, cout, cin, kh, kw, false, ConvImplicitVector.NR);
            default -> ConvWeights.pack(wt, off, cout, cin, kh, kw, false, ConvImplicitScalar.NR);
        };
    }

    private static boolean vector(String kernel) {
        return !kernel.equals("scalar");
    }

    @ParameterizedTest
    @CsvSource({"direct", "implicit", "scalar"})
    void matchesTheDoubleLoop(String kernel) {
        Random r = new Random(5);
        int index = 0;
        for (int[] c : CASES) {
            int batch = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], kh = c[5], kw = c[6];
            ConvGeometry g = new ConvGeometry(c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], 1);
            Activation act = Activation.values()[index++ % Activation.values().length];
            float[] x = random(r, 3 + batch * cin * h * w);
            float[] wt = random(r, 1 + cout * cin * kh * kw);
            float[] bias = index % 3 == 0 ? null : random(r, 2 + cout);
            int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
            float[] out = new float[4 + batch * cout * oh * ow];
            ConvWeights packed = pack(kernel, wt, 1, cout, cin, kh, kw);
            Conv2d.runPacked(vector(kernel), x, 3, batch, cin, h, w, packed, bias, 2, g, act, false, out, 4, Parallelism.of(2));
            float[] b0 = bias == null ? null : Arrays.copyOfRange(bias, 2, 2 + cout);
            double[] ref = Reference.conv2d(x, 3, batch, cin, h, w, wt, 1, cout, kh, kw, b0, g, act);
            assertClose(kernel + " case " + (index - 1) + " " + g + " " + act, ref, out, 4, scaleFor(cin * kh * kw));

            float[] pooled = new float[1 + batch * cout * (oh / 2) * (ow / 2)];
            Conv2d.runPacked(vector(kernel), x, 3, batch, cin, h, w, packed, bias, 2, g, act, true, pooled, 1, Parallelism.of(2));
            assertClose(kernel + " pooled case " + (index - 1), maxPool2x2(ref, batch * cout, oh, ow), pooled, 1, scaleFor(cin * kh * kw));
        }
    }

    /** The implicit GEMM's vector and scalar versions sum in the same order: the same bits, whatever the thread count. */
    @Test
    void implicitVectorAndScalarGiveTheSameBits() {
        qt().withExamples(80).forAll(integers().between(1, 20), integers().between(1, 14), integers().between(0, 63), integers().between(0, 1 << 20))
                .checkAssert((cin, size, shape, seed) -> {
                    Random r = new Random(seed);
                    int k = 1 + shape % 4;
                    int stride = 1 + (shape >> 2) % 2, dil = 1 + (shape >> 3) % 2, pad = r.nextInt(k);
                    boolean pool = (shape >> 4) % 2 == 1, relu = (shape >> 5) % 2 == 1;
                    ConvGeometry g = new ConvGeometry(stride, stride, pad, pad + r.nextInt(2), pad, pad, dil, dil, 1);
                    int span = dil * (k - 1) + 1;
                    int batch = 1 + r.nextInt(3), h = Math.max(size, span), w = Math.max(size + r.nextInt(4), span);
                    int cout = 1 + r.nextInt(40);
                    float[] x = random(r, batch * cin * h * w), wt = random(r, cout * cin * k * k), bias = random(r, cout);
                    int oh = g.outputHeight(h, k), ow = g.outputWidth(w, k);
                    int n = batch * cout * (pool ? (oh / 2) * (ow / 2) : oh * ow);
                    Activation act = relu ? Activation.RELU : Activation.NONE;
                    float[] s = new float[n], v = new float[n], v2 = new float[n];
                    Conv2d.runPacked(false, x, 0, batch, cin, h, w, pack("scalar", wt, 0, cout, cin, k, k), bias, 0, g, act, pool, s, 0,
                            Parallelism.SERIAL);
                    ConvWeights packed = pack("implicit", wt, 0, cout, cin, k, k);
                    Conv2d.runPacked(true, x, 0, batch, cin, h, w, packed, bias, 0, g, act, pool, v, 0, Parallelism.SERIAL);
                    Conv2d.runPacked(true, x, 0, batch, cin, h, w, packed, bias, 0, g, act, pool, v2, 0, Parallelism.of(2));
                    String what = g + " k=" + k + " cin=" + cin + " cout=" + cout + " pool=" + pool;
                    assertArrayEquals(s, v, what);
                    assertArrayEquals(v, v2, what + " on 2 threads");
                });
    }

    /**
     * One image split by rows over threads (the rows kernel's batch-1 tasks) gives the scalar implicit GEMM's
     * bits; enough work that two threads always split it, odd sizes so the parts are uneven.
     */
    @Test
    void oneImageSplitOverThreadsGivesTheSameBits() {
        Random r = new Random(23);
        for (int[] c : new int[][] {{32, 28, 28, 64}, {24, 27, 23, 40}}) {
            int cin = c[0], h = c[1], w = c[2], cout = c[3];
            ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);
            float[] x = random(r, cin * h * w), wt = random(r, cout * cin * 9), bias = random(r, cout);
            for (boolean pool : new boolean[] {false, true}) {
                int n = cout * (pool ? (h / 2) * (w / 2) : h * w);
                float[] scalar = new float[n], two = new float[n];
                Conv2d.runPacked(false, x, 0, 1, cin, h, w, pack("scalar", wt, 0, cout, cin, 3, 3), bias, 0, g, Activation.RELU, pool, scalar, 0,
                        Parallelism.SERIAL);
                Conv2d.runPacked(true, x, 0, 1, cin, h, w, pack("implicit", wt, 0, cout, cin, 3, 3), bias, 0, g, Activation.RELU, pool, two, 0,
                        Parallelism.of(2));
                assertArrayEquals(scalar, two, Arrays.toString(c) + " pool=" + pool);
            }
        }
    }

    /** The direct kernel gives the same bits on weights packed at load as on weights it packs per call. */
    @Test
    void directPackedAtLoadEqualsPackedPerCall() {
        Random r = new Random(17);
        for (int[] c : new int[][] {{2, 16, 14, 14, 32}, {3, 1, 28, 28, 16}, {1, 5, 9, 11, 9}}) {
            int batch = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4];
            ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);
            float[] x = random(r, batch * cin * h * w), wt = random(r, cout * cin * 9), bias = random(r, cout);
            for (boolean pool : new boolean[] {false, true}) {
                int n = batch * cout * (pool ? (h / 2) * (w / 2) : h * w);
                float[] perCall = new float[n], atLoad = new float[n];
                if (pool) Conv2d.runMaxPool2x2(true, x, 0, batch, cin, h, w, wt, 0, cout, 3, 3, bias, 0, g, Activation.RELU, perCall, 0, Parallelism.of(2));
                else Conv2d.run(true, x, 0, batch, cin, h, w, wt, 0, cout, 3, 3, bias, 0, g, Activation.RELU, perCall, 0, Parallelism.of(2));
                Conv2d.runPacked(true, x, 0, batch, cin, h, w, pack("direct", wt, 0, cout, cin, 3, 3), bias, 0, g, Activation.RELU, pool,
                        atLoad, 0, Parallelism.of(2));
                assertArrayEquals(perCall, atLoad, Arrays.toString(c) + " pool=" + pool);
            }
        }
    }

    /** Any packing computes any convolution: a direct packing on a stride-2 conv runs the scalar implicit GEMM. */
    @Test
    void aPackingForAnotherKernelStillComputes() {
        Random r = new Random(2);
        ConvGeometry g = new ConvGeometry(2, 2, 1, 1, 1, 1, 1, 1, 1);
        int cin = 3, h = 9, w = 10, cout = 5;
        float[] x = random(r, cin * h * w), wt = random(r, cout * cin * 9);
        int oh = g.outputHeight(h, 3), ow = g.outputWidth(w, 3);
        float[] out = new float[cout * oh * ow];
        Conv2d.runPacked(true, x, 0, 1, cin, h, w, pack("direct", wt, 0, cout, cin, 3, 3), null, 0, g, Activation.NONE, false, out, 0,
                Parallelism.SERIAL);
        assertClose("direct packing, stride 2", Reference.conv2d(x, 0, 1, cin, h, w, wt, 0, cout, 3, 3, null, g, Activation.NONE), out, 0,
                scaleFor(cin * 9));
    }

    @Test
    void packedLayoutIsPanelsOfTaps() {
        float[] wt = new float[5 * 2 * 2 * 1];
        for (int i = 0; i < wt.length; i++) wt[i] = i;
        ConvWeights p = ConvWeights.pack(wt, 0, 5, 2, 2, 1, false, 4);
        // [panel][i][4]: panel 0 holds channels 0..3, panel 1 channel 4 then zeros.
        assertArrayEquals(new float[] {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 16, 0, 0, 0, 17, 0, 0, 0, 18, 0, 0, 0, 19, 0, 0, 0},
                p.data());
        assertEquals(13f, p.get(3, 1));
        assertEquals(4 * 32L, p.bytes());
    }

    @Test
    void badCallsAreRejected() {
        float[] x = new float[2 * 4 * 4], wt = new float[3 * 2 * 9], out = new float[3 * 16];
        ConvWeights packed = ConvWeights.pack(wt, 0, 3, 2, 3, 3, false);
        ConvGeometry same = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, // groups
                () -> Conv2d.forwardPacked(x, 0, 1, 2, 4, 4, packed, null, 0, new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 2), Activation.NONE,
                        out, 0, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, // cin differs from the weight's
                () -> Conv2d.forwardPacked(x, 0, 1, 1, 4, 4, packed, null, 0, same, Activation.NONE, out, 0, Parallelism.SERIAL));
        assertThrows(IndexOutOfBoundsException.class, // out too short
                () -> Conv2d.forwardPacked(x, 0, 1, 2, 4, 4, packed, null, 0, same, Activation.NONE, new float[47], 0, Parallelism.SERIAL));
        assertThrows(IndexOutOfBoundsException.class, () -> ConvWeights.pack(wt, 1, 3, 2, 3, 3, true)); // weight too short
    }

    /** 2x2 stride-2 max pool of planes [planes, oh, ow] (rounded down). */
    private static double[] maxPool2x2(double[] x, int planes, int oh, int ow) {
        int ph = oh / 2, pw = ow / 2;
        double[] out = new double[planes * ph * pw];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < ph; y++) {
                for (int xx = 0; xx < pw; xx++) {
                    int i = p * oh * ow + 2 * y * ow + 2 * xx;
                    out[(p * ph + y) * pw + xx] = Math.max(Math.max(x[i], x[i + 1]), Math.max(x[i + ow], x[i + ow + 1]));
                }
            }
        }
        return out;
    }
}
