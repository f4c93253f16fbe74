package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pool2d, both implementations, against a direct loop over each window (the interpreter's rule). */
class Pool2dTest {
    /** The interpreter's loop (ConvOps.pool): positions outside x skipped, average over those inside. */
    private static float[] reference(float[] x, int planes, int h, int w, boolean max, int kh, int kw, ConvGeometry g) {
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        float[] out = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = y * g.strideH() - g.padTop() + ky, ix = xx * g.strideW() - g.padLeft() + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            double v = x[(p * h + iy) * w + ix];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    out[(p * oh + y) * ow + xx] = (float) (max ? acc : acc / count);
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void maxPool2x2MatchesTheLoopExactly(boolean vector) {
        Random r = new Random(5);
        for (int[] hw : new int[][] {{28, 28}, {14, 14}, {7, 9}, {2, 2}, {5, 33}, {40, 67}}) {
            int h = hw[0], w = hw[1], planes = 3;
            ConvGeometry g = new ConvGeometry(2, 2, 0, 0, 0, 0, 1, 1, 1);
            float[] x = random(r, 2 + planes * h * w);
            x[2 + r.nextInt(planes * h * w)] = Float.NaN; // a NaN wins its window, as Math.max
            int oh = g.outputHeight(h, 2), ow = g.outputWidth(w, 2);
            float[] out = new float[1 + planes * oh * ow];
            Pool2d.run(vector, x, 2, planes, h, w, true, 2, 2, g, out, 1, oh, ow, Parallelism.of(2));
            float[] ref = reference(java.util.Arrays.copyOfRange(x, 2, x.length), planes, h, w, true, 2, 2, g);
            assertArrayEquals(ref, java.util.Arrays.copyOfRange(out, 1, out.length), h + "x" + w);
        }
    }

    @Test
    void anyWindowMatchesTheLoop() {
        qt().withExamples(80).forAll(integers().between(1, 20), integers().between(1, 4), integers().between(0, 7), integers().between(0, 1 << 20))
                .checkAssert((size, k, shape, seed) -> {
                    Random r = new Random(seed);
                    boolean max = (shape & 1) != 0;
                    int stride = 1 + (shape >> 1) % 3, pad = r.nextInt(k);
                    ConvGeometry g = new ConvGeometry(stride, stride, pad, pad, r.nextInt(k), r.nextInt(k), 1, 1, 1);
                    int h = Math.max(size, k), w = Math.max(size + 2, k), planes = 1 + r.nextInt(3);
                    float[] x = random(r, planes * h * w);
                    int oh = g.outputHeight(h, k), ow = g.outputWidth(w, k);
                    float[] ref = reference(x, planes, h, w, max, k, k, g);
                    for (boolean vector : new boolean[] {false, true}) {
                        if (vector && !Kernels.VECTOR) continue;
                        float[] out = new float[planes * oh * ow];
                        Pool2d.run(vector, x, 0, planes, h, w, max, k, k, g, out, 0, oh, ow, Parallelism.SERIAL);
                        for (int i = 0; i < out.length; i++) {
                            assertEquals(ref[i], out[i], 1e-5 + 1e-5 * Math.abs(ref[i]), g + " k=" + k + " max=" + max + " at " + i);
                        }
                    }
                });
    }

    @Test
    void windowsInThePaddingGiveMinusInfinityOrNaN() {
        // 1x1 input, 1x1 window at stride 2, bottom and right pads 2: the windows of row 1 and column 1 cover only padding.
        ConvGeometry g = new ConvGeometry(2, 2, 0, 0, 2, 2, 1, 1, 1);
        float[] x = {4f}, maxOut = new float[4], avgOut = new float[4];
        Pool2d.forward(x, 0, 1, 1, 1, 1, true, 1, 1, g, maxOut, 0, Parallelism.SERIAL);
        Pool2d.forward(x, 0, 1, 1, 1, 1, false, 1, 1, g, avgOut, 0, Parallelism.SERIAL);
        assertArrayEquals(new float[] {4f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, maxOut);
        assertEquals(4f, avgOut[0]);
        assertEquals(Float.NaN, avgOut[3]);
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[16], out = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> Pool2d.forward(x, 0, 1, 1, 4, 4, true, 0, 2, ConvGeometry.DEFAULT, out, 0, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class,
                () -> Pool2d.forward(x, 0, 1, 1, 4, 4, true, 2, 2, new ConvGeometry(1, 1, 0, 0, 0, 0, 2, 1, 1), out, 0, Parallelism.SERIAL));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Pool2d.forward(x, 0, 2, 1, 4, 4, true, 2, 2, ConvGeometry.DEFAULT, out, 0, Parallelism.SERIAL));
    }
}
