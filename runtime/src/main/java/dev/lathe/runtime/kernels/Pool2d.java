package dev.lathe.runtime.kernels;

/**
 * 2-D max or average pooling in NCHW: x [batch, channels, h, w], out [batch, channels, oh, ow] (see
 * {@link ConvGeometry#outputHeight}; its dilations must be 1 and its groups are ignored), dense at
 * their offsets:
 * <pre>
 *   out[b, c, y, x] = max or mean of x[b, c, y*sh - pt + ky, x*sw - pl + kx] over the window positions inside x
 * </pre>
 * Padding is never read: a max over a window wholly in the padding is -inf and its average 0 / 0 = NaN,
 * as in the interpreter (average pooling counts only the positions inside x, ONNX
 * {@code count_include_pad = 0}).
 */
public final class Pool2d {
    private Pool2d() {}

    public static void forward(float[] x, int xOff, int batch, int channels, int h, int w, boolean max, int kh, int kw,
                               ConvGeometry g, float[] out, int outOff, Parallelism par) {
        Checks.nonNegative("Pool2d", batch, channels, h, w);
        if (g == null) throw new IllegalArgumentException("geometry must not be null");
        if (kh < 1 || kw < 1) throw new IllegalArgumentException("pool: kernel must be at least 1x1");
        if (g.dilationH() != 1 || g.dilationW() != 1) throw new IllegalArgumentException("pool: dilation must be 1, got " + g);
        Checks.par(par);
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        Checks.matrix("x", x, xOff, batch, channels * h * w, (long) channels * h * w, 1);
        Checks.matrix("out", out, outOff, batch, channels * oh * ow, (long) channels * oh * ow, 1);
        if (batch == 0 || channels == 0 || oh == 0 || ow == 0) return;
        run(Kernels.VECTOR, x, xOff, batch * channels, h, w, max, kh, kw, g, out, outOff, oh, ow, par);
    }

    /** Unchecked; {@code planes} = batch * channels; {@code vector} picks the implementation. */
    static void run(boolean vector, float[] x, int xOff, int planes, int h, int w, boolean max, int kh, int kw, ConvGeometry g,
                    float[] out, int outOff, int oh, int ow, Parallelism par) {
        boolean pairs = max && kh == 2 && kw == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padTop() == 0 && g.padLeft() == 0
                && 2 * oh <= h && 2 * ow <= w;
        Parallelism p = par.forWork((long) planes * oh * ow * kh * kw, Parallelism.MIN_WORK_PER_THREAD / 4);
        // Planes in groups, so that each task is worth handing to another thread.
        int groups = Math.min(planes, 4 * p.threads());
        p.forEach(groups, t -> {
            for (int plane = planes * t / groups, end = planes * (t + 1) / groups; plane < end; plane++) {
                int xi = xOff + plane * h * w, oi = outOff + plane * oh * ow;
                if (pairs && vector) PoolVector.max2x2(x, xi, w, out, oi, oh, ow);
                else if (pairs) PoolScalar.max2x2(x, xi, w, out, oi, oh, ow);
                else PoolScalar.plane(x, xi, h, w, max, kh, kw, g, out, oi, oh, ow);
            }
        });
    }
}
