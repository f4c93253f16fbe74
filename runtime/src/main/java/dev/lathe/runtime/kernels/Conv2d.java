package dev.lathe.runtime.kernels;

/**
 * 2-D convolution in NCHW: x [batch, cin, h, w], weight [cout, cin / groups, kh, kw], optional bias
 * [cout], out [batch, cout, oh, ow] (see {@link ConvGeometry#outputHeight}), all dense row-major at
 * their offsets, followed by an activation:
 * <pre>
 *   out[b, o, y, x] = act(bias[o] + sum_{c, ky, kx} x[b, g*cg + c, y*sh - pt + ky*dh, x*sw - pl + kx*dw] * weight[o, c, ky, kx])
 * </pre>
 * with out-of-range input positions reading 0. With the Vector API, stride-1 single-group convolutions
 * whose padded image fits in L2 run directly ({@link ConvDirectVector}); the others, and all of them
 * on the scalar kernels, run as im2col (written straight into the GEMM's packed layout, in per-thread
 * scratch) followed by a GEMM whose epilogue adds the bias; depthwise ones
 * ({@code cin / groups == 1 == cout / groups}) run directly.
 */
public final class Conv2d {
    private Conv2d() {}

    public static void forward(float[] x, int xOff, int batch, int cin, int h, int w,
                               float[] weight, int wOff, int cout, int kh, int kw,
                               float[] bias, int biasOff, ConvGeometry g, Activation act,
                               float[] out, int outOff, Parallelism par) {
        check(x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, par);
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        Checks.matrix("out", out, outOff, batch, cout * oh * ow, (long) cout * oh * ow, 1);
        if (batch == 0 || cout == 0 || oh == 0 || ow == 0) return;
        run(Kernels.VECTOR, x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, out, outOff, par);
    }

    /**
     * {@link #forward} followed by 2x2 stride-2 max pooling, without materialising the convolution:
     * out [batch, cout, oh / 2, ow / 2] (rounded down).
     */
    public static void forwardMaxPool2x2(float[] x, int xOff, int batch, int cin, int h, int w,
                                         float[] weight, int wOff, int cout, int kh, int kw,
                                         float[] bias, int biasOff, ConvGeometry g, Activation act,
                                         float[] out, int outOff, Parallelism par) {
        check(x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, par);
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        int pooled = (oh / 2) * (ow / 2);
        Checks.matrix("out", out, outOff, batch, cout * pooled, (long) cout * pooled, 1);
        if (batch == 0 || cout == 0 || pooled == 0) return;
        runMaxPool2x2(Kernels.VECTOR, x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, out, outOff, par);
    }

    /** Unchecked; the direct vector kernel pools its own tiles, the others convolve into scratch first. */
    static void runMaxPool2x2(boolean vector, float[] x, int xOff, int batch, int cin, int h, int w,
                              float[] weight, int wOff, int cout, int kh, int kw, float[] bias, int biasOff, ConvGeometry g,
                              Activation act, float[] out, int outOff, Parallelism par) {
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        if (vector && ConvDirectVector.applies(cin, h, w, kh, kw, g)) {
            ConvDirectVector.forward(x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, true, out, outOff, oh, ow, par);
            return;
        }
        float[] conv = Scratch.get(Scratch.CONV_OUTPUT, batch * cout * oh * ow);
        run(vector, x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, conv, 0, par);
        Pool2d.run(vector, conv, 0, batch * cout, oh, ow, true, 2, 2, new ConvGeometry(2, 2, 0, 0, 0, 0, 1, 1, 1), out, outOff,
                oh / 2, ow / 2, par);
    }

    /** Everything but the output's size. */
    private static void check(float[] x, int xOff, int batch, int cin, int h, int w, float[] weight, int wOff, int cout, int kh, int kw,
                              float[] bias, int biasOff, ConvGeometry g, Activation act, Parallelism par) {
        Checks.nonNegative("Conv2d", batch, cin, h, w, cout, kh, kw, biasOff);
        if (g == null) throw new IllegalArgumentException("geometry must not be null");
        if (act == null) throw new IllegalArgumentException("activation must not be null");
        Checks.par(par);
        int groups = g.groups();
        if (cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("conv: groups = " + groups + " must divide cin = " + cin + " and cout = " + cout);
        }
        if (kh < 1 || kw < 1) throw new IllegalArgumentException("conv: kernel must be at least 1x1");
        g.outputHeight(h, kh); // rejects a window larger than the padded input
        g.outputWidth(w, kw);
        int cg = cin / groups;
        Checks.matrix("x", x, xOff, batch, cin * h * w, (long) cin * h * w, 1);
        Checks.matrix("weight", weight, wOff, cout, cg * kh * kw, (long) cg * kh * kw, 1);
        if (bias != null) Checks.vector("bias", bias, biasOff, cout);
    }

    /** Unchecked; {@code vector} picks the implementation. */
    static void run(boolean vector, float[] x, int xOff, int batch, int cin, int h, int w,
                    float[] weight, int wOff, int cout, int kh, int kw,
                    float[] bias, int biasOff, ConvGeometry g, Activation act,
                    float[] out, int outOff, Parallelism par) {
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        int groups = g.groups();
        if (cin / groups == 1 && cout == groups) {
            if (vector) ConvVector.depthwise(x, xOff, batch, cin, h, w, weight, wOff, kh, kw, bias, biasOff, g, act, out, outOff, oh, ow, par);
            else ConvScalar.depthwise(x, xOff, batch, cin, h, w, weight, wOff, kh, kw, bias, biasOff, g, act, out, outOff, oh, ow, par);
        } else if (vector && ConvDirectVector.applies(cin, h, w, kh, kw, g)) {
            ConvDirectVector.forward(x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, false, out, outOff, oh, ow, par);
        } else {
            ConvScalar.im2colGemm(vector, x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, g, act, out, outOff, oh, ow, par);
        }
    }
}
