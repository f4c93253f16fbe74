package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implicit-GEMM convolution (one group, any stride, padding and dilation) with weights
 * packed at load ({@link ConvWeights}): output channels run along the vector lanes and output pixels
 * are broadcast, as in the GEMM micro-kernel with the im2col matrix never written. Each image is
 * copied once into zero-padded planes of width {@code wp}; output pixel {@code (y, x)} reads tap
 * {@code (c, ky, kx)} at {@code q + tapOff[i]} with {@code q = y * sh * wp + x * sw}, so a tile of MR
 * pixels is MR base offsets and the reduction is one loop over the taps.
 * <pre>
 *   for each (image, panel of NR output channels, tile of MR output pixels):
 *     MR x 2 accumulators (MR pixels x NR channels), initialised to the bias
 *     for i = (c, ky, kx):  load the tap's NR weights (2 vectors), broadcast each pixel's input, 2 fmas per pixel
 *     activation, then scatter to NCHW; with max pooling a tile is two 2x2 windows, pooled before the scatter
 * </pre>
 * Tiles hold any MR pixels, so only the last tile of an image is partial (its spare slots repeat a
 * valid pixel and are not stored), unlike a row-wise direct convolution that also computes the
 * padding columns. Per output element the sum runs over (c, ky, kx) in that order, starting at the
 * bias, one fma per tap (padding taps add 0 * w), whatever the split: {@link ConvImplicitScalar} gives
 * the same bits and the thread count never changes results.
 */
final class ConvImplicitVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per panel: two vectors. */
    static final int NR = 2 * L;
    /**
     * Output pixels per tile: 8 x 2 accumulators plus the two weight vectors fit AVX-512's 32 registers
     * (narrower vectors spill, correct but slower). A multiple of 4, so a tile holds whole 2x2 windows.
     */
    static final int MR = 8;
    /** Padded floats per group of images (16 MB). */
    private static final int MAX_PADDED_GROUP = 1 << 22;

    private ConvImplicitVector() {}

    /**
     * out [batch, cout, oh, ow], or with {@code maxPool2x2} its 2x2 stride-2 max pool [batch, cout, oh / 2, ow / 2].
     * The weight's panel width must be {@link #NR}.
     */
    static void forward(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight, float[] bias, int biasOff,
                        ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff, int oh, int ow, Parallelism par) {
        int kh = weight.kh(), kw = weight.kw(), cout = weight.cout(), kk = cin * kh * kw;
        int hp = h + g.padTop() + g.padBottom(), wp = w + g.padLeft() + g.padRight();
        int plane = hp * wp, image = ConvPadding.imageFloats(cin, plane);
        int[] tapOff = ConvPadding.tapOffsets(cin, kh, kw, g, plane, wp);
        int panels = (cout + NR - 1) / NR;
        int outputs = maxPool2x2 ? (oh / 2) * (ow / 2) : oh * ow; // per channel and image
        int tiles = (outputs + outputsPerTile(maxPool2x2) - 1) / outputsPerTile(maxPool2x2);
        int group = Math.max(1, Math.min(batch, MAX_PADDED_GROUP / Math.max(1, image)));
        float[] padded = Scratch.get(Scratch.CONV_COLUMNS, group * image);
        // As ConvDirectVector: a split batch-1 CNN layer lost more to the hand-off than it gained.
        Parallelism p = par.forWork(2L * batch * cout * kk * oh * ow, Parallelism.MIN_WORK_PER_THREAD * Parallelism.AWAKE_DIVISOR);
        Tiling t = new Tiling(g, wp, image, kk, tapOff, weight.data(), bias, biasOff, cout, act, maxPool2x2, oh, ow, outputs,
                panels, tiles);
        for (int first = 0; first < batch; first += group) {
            int b0 = first, n = Math.min(group, batch - first);
            p.forEach(n, i -> ConvPadding.pad(x, xOff + (b0 + i) * cin * h * w, cin, h, w, g, hp, wp, padded, i * image));
            int total = n * panels * tiles;
            // A few chunks per thread balance uneven progress; each chunk's tiles share a weight panel where they can.
            int chunks = Math.min(total, p.threads() == 1 ? 1 : 4 * p.threads());
            p.forEach(chunks, ch -> t.run(padded, total * ch / chunks, total * (ch + 1) / chunks, out, outOff + b0 * cout * outputs));
        }
    }

    private static int outputsPerTile(boolean maxPool2x2) {
        return maxPool2x2 ? MR / 4 : MR;
    }

    /** One call's constants; {@link #run} computes a range of (image, panel, tile) tasks. */
    private record Tiling(ConvGeometry g, int wp, int image, int kk, int[] tapOff, float[] wd, float[] bias,
                          int biasOff, int cout, Activation act, boolean maxPool2x2, int oh, int ow, int outputs, int panels, int tiles) {
        void run(float[] padded, int t0, int t1, float[] out, int outOff) {
            // Rows 0..MR-1: the tile's results; row MR: the panel's biases (zero past cout).
            float[] tb = Scratch.get(Scratch.CONV_WIDE, (MR + 1) * NR);
            int lastPanel = -1;
            boolean relu = act == Activation.RELU;
            int sh = g.strideH(), sw = g.strideW();
            int pw = ow / 2;
            for (int t = t0; t < t1; t++) {
                int i = t / (panels * tiles), panel = t / tiles % panels, tile = t % tiles;
                if (panel != lastPanel) {
                    for (int r = 0; r < NR; r++) {
                        int o = panel * NR + r;
                        tb[MR * NR + r] = bias == null || o >= cout ? 0f : bias[biasOff + o];
                    }
                    lastPanel = panel;
                }
                int xi = i * image;
                int wi = panel * kk * NR;
                if (maxPool2x2) {
                    // Two pooled outputs, each a 2x2 window of four pixels; a missing second one repeats the first.
                    int j0 = 2 * tile, j1 = Math.min(j0 + 1, outputs - 1);
                    int a = xi + (j0 / pw) * 2 * sh * wp + (j0 % pw) * 2 * sw;
                    int b = xi + (j1 / pw) * 2 * sh * wp + (j1 % pw) * 2 * sw;
                    kernel(padded, a, a + sw, a + sh * wp, a + sh * wp + sw, b, b + sw, b + sh * wp, b + sh * wp + sw,
                            tapOff, kk, wd, wi, relu, tb);
                } else {
                    int j = tile * MR, last = outputs - 1;
                    kernel(padded, pixel(xi, j, last), pixel(xi, j + 1, last), pixel(xi, j + 2, last), pixel(xi, j + 3, last),
                            pixel(xi, j + 4, last), pixel(xi, j + 5, last), pixel(xi, j + 6, last), pixel(xi, j + 7, last),
                            tapOff, kk, wd, wi, relu, tb);
                }
                if (act != Activation.NONE && !relu) ActivationsVector.apply(act, tb, 0, MR * NR, tb, 0);
                store(tb, panel, tile, out, outOff + i * cout * outputs);
            }
        }

        /** Offset of output pixel min(j, last) in a padded image that starts at xi. */
        private int pixel(int xi, int j, int last) {
            j = Math.min(j, last);
            return xi + (j / ow) * g.strideH() * wp + (j % ow) * g.strideW();
        }

        /** Scatters the tile (pooling it first) to the image's NCHW output at oi. */
        private void store(float[] tb, int panel, int tile, float[] out, int oi) {
            int channels = Math.min(NR, cout - panel * NR);
            int o0 = oi + panel * NR * outputs;
            if (maxPool2x2) {
                for (int s = 0; s < MR / 4; s++) {
                    int j = tile * (MR / 4) + s;
                    if (j >= outputs) break;
                    int r = 4 * s * NR;
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(S, tb, r + v).max(FloatVector.fromArray(S, tb, r + NR + v))
                                .max(FloatVector.fromArray(S, tb, r + 2 * NR + v).max(FloatVector.fromArray(S, tb, r + 3 * NR + v)))
                                .intoArray(tb, r + v);
                    }
                    for (int o = 0; o < channels; o++) out[o0 + o * outputs + j] = tb[r + o];
                }
                return;
            }
            int j0 = tile * MR, n = Math.min(MR, outputs - j0);
            for (int o = 0; o < channels; o++) {
                int d = o0 + o * outputs + j0;
                for (int r = 0; r < n; r++) out[d + r] = tb[r * NR + o];
            }
        }
    }

    /**
     * MR pixels (input offsets q0..q7 of their first tap) x NR channels (panel at wd[wi]), summed over
     * the kk taps from the biases in tb row MR; results to tb rows 0..MR-1.
     */
    private static void kernel(float[] xp, int q0, int q1, int q2, int q3, int q4, int q5, int q6, int q7,
                               int[] tapOff, int kk, float[] wd, int wi, boolean relu, float[] tb) {
        FloatVector c00 = FloatVector.fromArray(S, tb, MR * NR), c01 = FloatVector.fromArray(S, tb, MR * NR + L);
        FloatVector c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        FloatVector c40 = c00, c41 = c01, c50 = c00, c51 = c01, c60 = c00, c61 = c01, c70 = c00, c71 = c01;
        for (int i = 0, wo = wi; i < kk; i++, wo += NR) {
            int s = tapOff[i];
            FloatVector w0 = FloatVector.fromArray(S, wd, wo);
            FloatVector w1 = FloatVector.fromArray(S, wd, wo + L);
            FloatVector v = FloatVector.broadcast(S, xp[s + q0]);
            c00 = v.fma(w0, c00);
            c01 = v.fma(w1, c01);
            v = FloatVector.broadcast(S, xp[s + q1]);
            c10 = v.fma(w0, c10);
            c11 = v.fma(w1, c11);
            v = FloatVector.broadcast(S, xp[s + q2]);
            c20 = v.fma(w0, c20);
            c21 = v.fma(w1, c21);
            v = FloatVector.broadcast(S, xp[s + q3]);
            c30 = v.fma(w0, c30);
            c31 = v.fma(w1, c31);
            v = FloatVector.broadcast(S, xp[s + q4]);
            c40 = v.fma(w0, c40);
            c41 = v.fma(w1, c41);
            v = FloatVector.broadcast(S, xp[s + q5]);
            c50 = v.fma(w0, c50);
            c51 = v.fma(w1, c51);
            v = FloatVector.broadcast(S, xp[s + q6]);
            c60 = v.fma(w0, c60);
            c61 = v.fma(w1, c61);
            v = FloatVector.broadcast(S, xp[s + q7]);
            c70 = v.fma(w0, c70);
            c71 = v.fma(w1, c71);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            c00 = c00.blend(0f, c00.lt(0f));
            c01 = c01.blend(0f, c01.lt(0f));
            c10 = c10.blend(0f, c10.lt(0f));
            c11 = c11.blend(0f, c11.lt(0f));
            c20 = c20.blend(0f, c20.lt(0f));
            c21 = c21.blend(0f, c21.lt(0f));
            c30 = c30.blend(0f, c30.lt(0f));
            c31 = c31.blend(0f, c31.lt(0f));
            c40 = c40.blend(0f, c40.lt(0f));
            c41 = c41.blend(0f, c41.lt(0f));
            c50 = c50.blend(0f, c50.lt(0f));
            c51 = c51.blend(0f, c51.lt(0f));
            c60 = c60.blend(0f, c60.lt(0f));
            c61 = c61.blend(0f, c61.lt(0f));
            c70 = c70.blend(0f, c70.lt(0f));
            c71 = c71.blend(0f, c71.lt(0f));
        }
        c00.intoArray(tb, 0);
        c01.intoArray(tb, L);
        c10.intoArray(tb, NR);
        c11.intoArray(tb, NR + L);
        c20.intoArray(tb, 2 * NR);
        c21.intoArray(tb, 2 * NR + L);
        c30.intoArray(tb, 3 * NR);
        c31.intoArray(tb, 3 * NR + L);
        c40.intoArray(tb, 4 * NR);
        c41.intoArray(tb, 4 * NR + L);
        c50.intoArray(tb, 5 * NR);
        c51.intoArray(tb, 5 * NR + L);
        c60.intoArray(tb, 6 * NR);
        c61.intoArray(tb, 6 * NR + L);
        c70.intoArray(tb, 7 * NR);
        c71.intoArray(tb, 7 * NR + L);
    }
}
