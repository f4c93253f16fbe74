package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvDirectVector} followed by a 2x2 stride-2 max pool, for images whose padded rows need two
 * 512-bit vectors (more than 16 floats, at most 32): planes are padded to rows of exactly {@link #WP} = 2L floats, so a register tile of
 * 4 output channels x 2 output rows x 2 vectors holds two whole wide rows per channel, and the pool
 * (vertical max, then even and odd columns de-interleaved) runs on the accumulators and stores the
 * pooled row straight into NCHW. The general kernel stores each tile to a buffer and pools from there,
 * which on the CNN's first layer (1 -> 16 channels on 28x28, 9 taps per output) cost as much as a
 * third of the convolution. Weights are the direct kernel's blocks of {@link ConvDirectVector#MR} = 8
 * channels, read 4 at a time. Per output element the sum runs over (c, ky, kx) from the bias as in
 * the direct kernel, so the results are its bits; ReLU (the one activation fused here) comes before the
 * pool, as in the interpreter.
 */
final class ConvDirectPooledVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Padded row width: two vectors. */
    private static final int WP = 2 * L;
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);

    private ConvDirectPooledVector() {}

    /**
     * With 512-bit vectors, padded rows of more than L and at most 2L floats, no activation or ReLU, 8-channel
     * weight blocks. Narrower rows would be mostly padding at width 2L (a 14x14 layer, rows of 16, ran 2x
     * slower here than in the general kernel).
     */
    static boolean applies(int wp, Activation act) {
        return L == 16 && ConvDirectVector.MR == 8 && wp > L && wp <= WP && (act == Activation.NONE || act == Activation.RELU);
    }

    /** wd: [block][(c, tap)][8] weights; bp[bpOff + o]: bias of channel o, zero up to the blocks. Out [batch, cout, oh / 2, ow / 2]. */
    static void convolve(float[] x, int xOff, int batch, int cin, int h, int w, float[] wd, int cout, int kh, int kw, float[] bp, int bpOff,
                         ConvGeometry g, Activation act, float[] out, int outOff, int oh, int ow, Parallelism par) {
        int hp = h + g.padTop() + g.padBottom();
        int plane = hp * WP, image = ConvPadding.imageFloats(cin, plane);
        int kk = cin * kh * kw;
        int[] tapOff = ConvPadding.tapOffsets(cin, kh, kw, g, plane, WP);
        int ph = oh / 2, pw = ow / 2, pooled = ph * pw, quads = (cout + 3) / 4;
        boolean relu = act == Activation.RELU;
        VectorMask<Float> store = S.indexInRange(0, pw);
        // Whole images per task, each padded into the thread's own scratch (as the direct kernel).
        Parallelism p = par.forWork(2L * batch * cout * kk * oh * ow, Parallelism.MIN_WORK_PER_THREAD);
        p.forEach(batch, b -> {
            float[] xp = Scratch.get(Scratch.CONV_COLUMNS, image);
            ConvPadding.pad(x, xOff + b * cin * h * w, cin, h, w, g, hp, WP, xp, 0);
            int ob = outOff + b * cout * pooled;
            for (int qd = 0; qd < quads; qd++) {
                int wi = qd / 2 * kk * 8 + qd % 2 * 4, bi = bpOff + qd * 4;
                int channels = Math.min(4, cout - qd * 4);
                for (int py = 0; py < ph; py++) {
                    tile(xp, 2 * py * WP, kk, tapOff, wd, wi, bp, bi, relu, out, ob + qd * 4 * pooled + py * pw, pooled, channels, store);
                }
            }
        });
    }

    /**
     * Channels [4 qd, 4 qd + channels) (weights at wd[wi + 8 i], biases at bp[bi]) of wide rows at q and q + WP, pooled into
     * out[o + c * pooled + (0..pw)].
     */
    private static void tile(float[] xp, int q, int kk, int[] tapOff, float[] wd, int wi, float[] bp, int bi, boolean relu, float[] out,
                             int o, int pooled, int channels, VectorMask<Float> store) {
        FloatVector a00 = FloatVector.broadcast(S, bp[bi]), a01 = a00, a10 = a00, a11 = a00;
        FloatVector b00 = FloatVector.broadcast(S, bp[bi + 1]), b01 = b00, b10 = b00, b11 = b00;
        FloatVector c00 = FloatVector.broadcast(S, bp[bi + 2]), c01 = c00, c10 = c00, c11 = c00;
        FloatVector d00 = FloatVector.broadcast(S, bp[bi + 3]), d01 = d00, d10 = d00, d11 = d00;
        for (int i = 0, wt = wi; i < kk; i++, wt += 8) {
            int s = q + tapOff[i];
            FloatVector x00 = FloatVector.fromArray(S, xp, s), x01 = FloatVector.fromArray(S, xp, s + L);
            FloatVector x10 = FloatVector.fromArray(S, xp, s + WP), x11 = FloatVector.fromArray(S, xp, s + WP + L);
            FloatVector v = FloatVector.broadcast(S, wd[wt]);
            a00 = v.fma(x00, a00);
            a01 = v.fma(x01, a01);
            a10 = v.fma(x10, a10);
            a11 = v.fma(x11, a11);
            v = FloatVector.broadcast(S, wd[wt + 1]);
            b00 = v.fma(x00, b00);
            b01 = v.fma(x01, b01);
            b10 = v.fma(x10, b10);
            b11 = v.fma(x11, b11);
            v = FloatVector.broadcast(S, wd[wt + 2]);
            c00 = v.fma(x00, c00);
            c01 = v.fma(x01, c01);
            c10 = v.fma(x10, c10);
            c11 = v.fma(x11, c11);
            v = FloatVector.broadcast(S, wd[wt + 3]);
            d00 = v.fma(x00, d00);
            d01 = v.fma(x01, d01);
            d10 = v.fma(x10, d10);
            d11 = v.fma(x11, d11);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            a00 = a00.blend(0f, a00.lt(0f));
            a01 = a01.blend(0f, a01.lt(0f));
            a10 = a10.blend(0f, a10.lt(0f));
            a11 = a11.blend(0f, a11.lt(0f));
            b00 = b00.blend(0f, b00.lt(0f));
            b01 = b01.blend(0f, b01.lt(0f));
            b10 = b10.blend(0f, b10.lt(0f));
            b11 = b11.blend(0f, b11.lt(0f));
            c00 = c00.blend(0f, c00.lt(0f));
            c01 = c01.blend(0f, c01.lt(0f));
            c10 = c10.blend(0f, c10.lt(0f));
            c11 = c11.blend(0f, c11.lt(0f));
            d00 = d00.blend(0f, d00.lt(0f));
            d01 = d01.blend(0f, d01.lt(0f));
            d10 = d10.blend(0f, d10.lt(0f));
            d11 = d11.blend(0f, d11.lt(0f));
        }
        // Vertical max of the two rows, then each pair of columns: lane j is output column j.
        FloatVector u = a00.max(a10), t = a01.max(a11);
        u.rearrange(EVEN, t).max(u.rearrange(ODD, t)).intoArray(out, o, store);
        if (channels > 1) {
            u = b00.max(b10);
            t = b01.max(b11);
            u.rearrange(EVEN, t).max(u.rearrange(ODD, t)).intoArray(out, o + pooled, store);
        }
        if (channels > 2) {
            u = c00.max(c10);
            t = c01.max(c11);
            u.rearrange(EVEN, t).max(u.rearrange(ODD, t)).intoArray(out, o + 2 * pooled, store);
        }
        if (channels > 3) {
            u = d00.max(d10);
            t = d01.max(d11);
            u.rearrange(EVEN, t).max(u.rearrange(ODD, t)).intoArray(out, o + 3 * pooled, store);
        }
    }
}
