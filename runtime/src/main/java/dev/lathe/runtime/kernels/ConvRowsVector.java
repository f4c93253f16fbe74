package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API convolution for stride 1 and one group on the implicit GEMM's weight panels
 * ({@link ConvWeights}, panel width {@link ConvImplicitVector#NR}): output channels along the lanes (a
 * panel is two vectors) and {@link #P} consecutive pixels of one output row per tile, whose inputs at
 * every tap are P consecutive floats of the zero-padded image, so one base offset serves the tile:
 * <pre>
 *   for each (image, panel of NR output channels, output row, tile of P pixels):
 *     P x 2 accumulators initialised to the bias
 *     for i = (c, ky, kx):  load the tap's NR weights (2 vectors), broadcast each pixel's input, 2 fmas per pixel
 *     activation, then the row's pixel vectors go to NCHW (with max pooling, two rows are pooled first)
 * </pre>
 * Unlike {@link ConvDirectVector}, which runs pixels along the lanes over padded-width rows, it computes
 * no padding columns (1/8 of a 14x14 layer's work there), and unlike {@link ConvImplicitVector}'s tiles of
 * arbitrary pixels each broadcast needs no address of its own: on Zen 4 a 16 -> 32 channel 3x3 layer on
 * 14x14 runs at 115 GFLOP/s in this tile alone (one core's FMA peak is 116), against 100 in the direct
 * kernel's. Per output element the sum runs over (c, ky, kx) in that order from the bias, one fma per
 * tap, as in {@link ConvImplicitScalar}: the same bits, whatever the thread count.
 */
final class ConvRowsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = ConvImplicitVector.NR;
    /** Pixels per tile: 7 x 2 accumulators, two weight vectors and a broadcast fit AVX-512's 32 registers (12 spilled). */
    static final int P = 7;

    private ConvRowsVector() {}

    /** Whether this kernel runs the convolution of a weight packed for the implicit GEMM. */
    static boolean applies(ConvGeometry g) {
        return L == 16 && g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1;
    }

    /** out [batch, cout, oh, ow], or with {@code maxPool2x2} its 2x2 stride-2 max pool [batch, cout, oh / 2, ow / 2]. */
    static void forward(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight, float[] bias, int biasOff,
                        ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff, int oh, int ow, Parallelism par) {
        int kh = weight.kh(), kw = weight.kw(), cout = weight.cout(), kk = cin * kh * kw;
        int hp = h + g.padTop() + g.padBottom(), wp = w + g.padLeft() + g.padRight();
        int plane = hp * wp, image = ConvPadding.imageFloats(cin, plane);
        int[] tapOff = ConvPadding.tapOffsets(cin, kh, kw, g, plane, wp);
        int panels = (cout + NR - 1) / NR;
        int outputs = maxPool2x2 ? (oh / 2) * (ow / 2) : oh * ow;
        // As ConvDirectVector: a split batch-1 CNN layer lost more to the hand-off than it gained.
        Parallelism p = par.forWork(2L * batch * cout * kk * oh * ow, Parallelism.MIN_WORK_PER_THREAD * Parallelism.AWAKE_DIVISOR);
        float[] wd = weight.data();
        if (batch > 1) {
            // Whole images per task, as in ConvDirectVector: each thread pads an image into its own scratch
            // and convolves it while it is in cache (padding all first, on any thread, scaled 1.3x on 2 threads).
            p.forEach(batch, b -> {
                float[] own = Scratch.get(Scratch.CONV_COLUMNS, image);
                ConvPadding.pad(x, xOff + b * cin * h * w, cin, h, w, g, hp, wp, own, 0);
                for (int panel = 0; panel < panels; panel++) {
                    image(own, 0, wp, tapOff, kk, wd, panel * kk * NR, bias, biasOff, panel, cout, act, maxPool2x2, oh, ow,
                            out, outOff + b * cout * outputs + panel * NR * outputs, outputs, 0, 1);
                }
            });
            return;
        }
        // One image: (panel, part of the rows) are the tasks, rows split when the panels alone leave a thread idle.
        Parallelism q = par.forWork(2L * cout * kk * oh * ow, Parallelism.MIN_WORK_PER_THREAD);
        int parts = Math.max(1, Math.min(maxPool2x2 ? oh / 2 : oh, (q.threads() + panels - 1) / panels));
        float[] padded = Scratch.get(Scratch.CONV_COLUMNS, image);
        ConvPadding.pad(x, xOff, cin, h, w, g, hp, wp, padded, 0);
        q.forEach(panels * parts, t -> image(padded, 0, wp, tapOff, kk, wd, t / parts * kk * NR, bias, biasOff, t / parts, cout, act, maxPool2x2,
                oh, ow, out, outOff + t / parts * NR * outputs, outputs, t % parts, parts));
    }

    /**
     * One panel of one padded image (at xp[xi]) into out at o0, channel o of the panel at o0 + o * outputs: part
     * {@code part} of {@code parts} of its (pooled) output rows.
     */
    private static void image(float[] xp, int xi, int wp, int[] tapOff, int kk, float[] wd, int wi, float[] bias, int biasOff, int panel,
                              int cout, Activation act, boolean maxPool2x2, int oh, int ow, float[] out, int o0, int outputs, int part, int parts) {
        int channels = Math.min(NR, cout - panel * NR);
        int row = ow * NR;
        // Two output rows of pixel vectors, a pooled row, then the panel's biases (zero past cout).
        float[] rows = Scratch.get(Scratch.CONV_WIDE, 2 * row + row / 2 + NR + NR);
        int pooledAt = 2 * row, biasAt = pooledAt + row / 2 + NR;
        for (int r = 0; r < NR; r++) {
            int o = panel * NR + r;
            rows[biasAt + r] = bias == null || o >= cout ? 0f : bias[biasOff + o];
        }
        boolean relu = act == Activation.RELU;
        if (!maxPool2x2) {
            for (int y = oh * part / parts; y < oh * (part + 1) / parts; y++) {
                row(xp, xi + y * wp, ow, tapOff, kk, wd, wi, rows, biasAt, relu, 0);
                if (act != Activation.NONE && !relu) ActivationsVector.apply(act, rows, 0, row, rows, 0);
                for (int o = 0; o < channels; o++) {
                    int d = o0 + o * outputs + y * ow;
                    for (int px = 0; px < ow; px++) out[d + px] = rows[px * NR + o];
                }
            }
            return;
        }
        int ph = oh / 2, pw = ow / 2;
        for (int py = ph * part / parts; py < ph * (part + 1) / parts; py++) {
            row(xp, xi + 2 * py * wp, ow, tapOff, kk, wd, wi, rows, biasAt, relu, 0);
            row(xp, xi + (2 * py + 1) * wp, ow, tapOff, kk, wd, wi, rows, biasAt, relu, row);
            if (act != Activation.NONE && !relu) ActivationsVector.apply(act, rows, 0, 2 * row, rows, 0);
            for (int px = 0; px < pw; px++) {
                int a = 2 * px * NR;
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(S, rows, a + v).max(FloatVector.fromArray(S, rows, a + NR + v))
                            .max(FloatVector.fromArray(S, rows, row + a + v).max(FloatVector.fromArray(S, rows, row + a + NR + v)))
                            .intoArray(rows, pooledAt + px * NR + v);
                }
            }
            for (int o = 0; o < channels; o++) {
                int d = o0 + o * outputs + py * pw;
                for (int px = 0; px < pw; px++) out[d + px] = rows[pooledAt + px * NR + o];
            }
        }
    }

    /** Output row starting at input offset s: ow pixel vectors of NR channels into rows[at + x * NR]. */
    private static void row(float[] xp, int s, int ow, int[] tapOff, int kk, float[] wd, int wi, float[] rows, int biasAt, boolean relu, int at) {
        int x0 = 0;
        for (; x0 + P <= ow; x0 += P) tile(xp, s + x0, tapOff, kk, wd, wi, rows, biasAt, relu, at + x0 * NR);
        for (; x0 < ow; x0++) pixel(xp, s + x0, tapOff, kk, wd, wi, rows, biasAt, relu, at + x0 * NR);
    }

    /** P pixels from input offset s (their first tap) x NR channels, summed over the kk taps from the biases at rows[biasAt]. */
    private static void tile(float[] xp, int s, int[] tapOff, int kk, float[] wd, int wi, float[] rows, int biasAt, boolean relu, int at) {
        FloatVector c0 = FloatVector.fromArray(S, rows, biasAt), d0 = FloatVector.fromArray(S, rows, biasAt + L);
        FloatVector c1 = c0, d1 = d0, c2 = c0, d2 = d0, c3 = c0, d3 = d0, c4 = c0, d4 = d0, c5 = c0, d5 = d0, c6 = c0, d6 = d0;
        for (int i = 0, wo = wi; i < kk; i++, wo += NR) {
            int q = s + tapOff[i];
            FloatVector w0 = FloatVector.fromArray(S, wd, wo), w1 = FloatVector.fromArray(S, wd, wo + L);
            FloatVector v = FloatVector.broadcast(S, xp[q]);
            c0 = v.fma(w0, c0);
            d0 = v.fma(w1, d0);
            v = FloatVector.broadcast(S, xp[q + 1]);
            c1 = v.fma(w0, c1);
            d1 = v.fma(w1, d1);
            v = FloatVector.broadcast(S, xp[q + 2]);
            c2 = v.fma(w0, c2);
            d2 = v.fma(w1, d2);
            v = FloatVector.broadcast(S, xp[q + 3]);
            c3 = v.fma(w0, c3);
            d3 = v.fma(w1, d3);
            v = FloatVector.broadcast(S, xp[q + 4]);
            c4 = v.fma(w0, c4);
            d4 = v.fma(w1, d4);
            v = FloatVector.broadcast(S, xp[q + 5]);
            c5 = v.fma(w0, c5);
            d5 = v.fma(w1, d5);
            v = FloatVector.broadcast(S, xp[q + 6]);
            c6 = v.fma(w0, c6);
            d6 = v.fma(w1, d6);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            c0 = c0.blend(0f, c0.lt(0f));
            d0 = d0.blend(0f, d0.lt(0f));
            c1 = c1.blend(0f, c1.lt(0f));
            d1 = d1.blend(0f, d1.lt(0f));
            c2 = c2.blend(0f, c2.lt(0f));
            d2 = d2.blend(0f, d2.lt(0f));
            c3 = c3.blend(0f, c3.lt(0f));
            d3 = d3.blend(0f, d3.lt(0f));
            c4 = c4.blend(0f, c4.lt(0f));
            d4 = d4.blend(0f, d4.lt(0f));
            c5 = c5.blend(0f, c5.lt(0f));
            d5 = d5.blend(0f, d5.lt(0f));
            c6 = c6.blend(0f, c6.lt(0f));
            d6 = d6.blend(0f, d6.lt(0f));
        }
        c0.intoArray(rows, at);
        d0.intoArray(rows, at + L);
        c1.intoArray(rows, at + NR);
        d1.intoArray(rows, at + NR + L);
        c2.intoArray(rows, at + 2 * NR);
        d2.intoArray(rows, at + 2 * NR + L);
        c3.intoArray(rows, at + 3 * NR);
        d3.intoArray(rows, at + 3 * NR + L);
        c4.intoArray(rows, at + 4 * NR);
        d4.intoArray(rows, at + 4 * NR + L);
        c5.intoArray(rows, at + 5 * NR);
        d5.intoArray(rows, at + 5 * NR + L);
        c6.intoArray(rows, at + 6 * NR);
        d6.intoArray(rows, at + 6 * NR + L);
    }

    /** One pixel of a row's end (fewer than P left). */
    private static void pixel(float[] xp, int s, int[] tapOff, int kk, float[] wd, int wi, float[] rows, int biasAt, boolean relu, int at) {
        FloatVector c = FloatVector.fromArray(S, rows, biasAt), d = FloatVector.fromArray(S, rows, biasAt + L);
        for (int i = 0, wo = wi; i < kk; i++, wo += NR) {
            FloatVector v = FloatVector.broadcast(S, xp[s + tapOff[i]]);
            c = v.fma(FloatVector.fromArray(S, wd, wo), c);
            d = v.fma(FloatVector.fromArray(S, wd, wo + L), d);
        }
        if (relu) {
            c = c.blend(0f, c.lt(0f));
            d = d.blend(0f, d.lt(0f));
        }
        c.intoArray(rows, at);
        d.intoArray(rows, at + L);
    }
}
