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

    /**
     * {@link #forward} with the weight packed at load ({@link ConvWeights#pack}, one group): an
     * implicit GEMM, output channels along the vector lanes, with no im2col matrix
     * ({@link ConvImplicitVector}). Geometry as in {@link #forward} with {@code groups == 1};
     * {@code cin} must be the weight's.
     */
    public static void forwardPacked(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight,
                                     float[] bias, int biasOff, ConvGeometry g, Activation act, float[] out, int outOff, Parallelism par) {
        checkPacked(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, par);
        int oh = g.outputHeight(h, weight.kh()), ow = g.outputWidth(w, weight.kw()), cout = weight.cout();
        Checks.matrix("out", out, outOff, batch, cout * oh * ow, (long) cout * oh * ow, 1);
        if (batch == 0 || cout == 0 || oh == 0 || ow == 0) return;
        runPacked(Kernels.VECTOR, x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, false, out, outOff, par);
    }

    /** {@link #forwardPacked} followed by 2x2 stride-2 max pooling, as {@link #forwardMaxPool2x2}. */
    public static void forwardPackedMaxPool2x2(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight,
                                               float[] bias, int biasOff, ConvGeometry g, Activation act, float[] out, int outOff,
                                               Parallelism par) {
        checkPacked(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, par);
        int oh = g.outputHeight(h, weight.kh()), ow = g.outputWidth(w, weight.kw()), cout = weight.cout();
        int pooled = (oh / 2) * (ow / 2);
        Checks.matrix("out", out, outOff, batch, cout * pooled, (long) cout * pooled, 1);
        if (batch == 0 || cout == 0 || pooled == 0) return;
        runPacked(Kernels.VECTOR, x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, true, out, outOff, par);
    }

    /**
     * Whether a convolution's weight should be packed for the direct kernel ({@link ConvWeights#pack}
     * with {@code direct}) rather than the implicit GEMM's panels: stride 1, one group, at most 7x7 taps,
     * the padded image within L2 (128 Ki floats) and fewer than 32 output channels. With 32 or more, the
     * panels feed {@link ConvRowsVector} (with 512-bit vectors; 16 -> 32 channels on 14x14 at batch 16:
     * 295 us against the direct kernel's 331, which also computes the padding columns) or else the
     * implicit GEMM. Below 32 a panel would be partly empty, and on 1 -> 16 channels (28x28, 9 taps per
     * output) the direct kernel stays faster: 75 us against 105 for the rows kernel (computing only the
     * panel's first vector), whose per-row pooling and scatter outweigh 9 taps. A rule on static shapes,
     * the same on every machine, so the compiler picks the packing.
     */
    public static boolean prefersDirect(int cin, int cout, int h, int w, int kh, int kw, ConvGeometry g) {
        return ConvDirectVector.applies(cin, h, w, kh, kw, g) && cout < 32;
    }

    /** Unchecked; a vector kernel runs on weights packed for it, the scalar implicit GEMM on any others. */
    static void runPacked(boolean vector, float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight, float[] bias,
                          int biasOff, ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff, Parallelism par) {
        int oh = g.outputHeight(h, weight.kh()), ow = g.outputWidth(w, weight.kw());
        if (vector && weight.direct() && weight.panelWidth() == ConvDirectVector.MR
                && ConvDirectVector.applies(cin, h, w, weight.kh(), weight.kw(), g)) {
            ConvDirectVector.forward(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, maxPool2x2, out, outOff, oh, ow, par);
        } else if (vector && !weight.direct() && weight.panelWidth() == ConvImplicitVector.NR && ConvRowsVector.applies(g)) {
            ConvRowsVector.forward(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, maxPool2x2, out, outOff, oh, ow, par);
        } else if (vector && !weight.direct() && weight.panelWidth() == ConvImplicitVector.NR) {
            ConvImplicitVector.forward(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, maxPool2x2, out, outOff, oh, ow, par);
        } else {
            ConvImplicitScalar.forward(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, maxPool2x2, out, outOff, oh, ow, par);
        }
    }

    private static void checkPacked(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight, float[] bias, int biasOff,
                                    ConvGeometry g, Activation act, Parallelism par) {
        if (weight == null) throw new IllegalArgumentException("weight must not be null");
        if (g != null && g.groups() != 1) throw new IllegalArgumentException("conv: packed weights need groups = 1, got " + g.groups());
        if (cin != weight.cin()) throw new IllegalArgumentException("conv: cin = " + cin + " but the packed weight has " + weight.cin());
        check(x, xOff, batch, cin, h, w, true, null, 0, weight.cout(), weight.kh(), weight.kw(), bias, biasOff, g, act, par);
    }

    /** Everything but the output's size. */
    private static void check(float[] x, int xOff, int batch, int cin, int h, int w, float[] weight, int wOff, int cout, int kh, int kw,
                              float[] bias, int biasOff, ConvGeometry g, Activation act, Parallelism par) {
        check(x, xOff, batch, cin, h, w, false, weight, wOff, cout, kh, kw, bias, biasOff, g, act, par);
    }

    private static void check(float[] x, int xOff, int batch, int cin, int h, int w, boolean packed, float[] weight, int wOff, int cout,
                              int kh, int kw, float[] bias, int biasOff, ConvGeometry g, Activation act, Parallelism par) {
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
        if (!packed) Checks.matrix("weight", weight, wOff, cout, cg * kh * kw, (long) cg * kh * kw, 1); // a packed one was checked when packed
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
