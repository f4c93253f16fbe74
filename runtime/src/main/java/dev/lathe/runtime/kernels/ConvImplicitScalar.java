package dev.lathe.runtime.kernels;

/**
 * The scalar counterpart of {@link ConvImplicitVector}, reading the same packed weights (any panel
 * width): per output element the bias, then one fma per tap over (c, ky, kx) in that order, padding
 * taps adding 0 * w, so both give the same bits. Pooling convolves into scratch, then pools.
 */
final class ConvImplicitScalar {
    /** Panel width when the scalar kernels are in use (any width works here). */
    static final int NR = 8;

    private ConvImplicitScalar() {}

    static void forward(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight, float[] bias, int biasOff,
                        ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff, int oh, int ow, Parallelism par) {
        int cout = weight.cout();
        if (maxPool2x2) {
            float[] conv = Scratch.get(Scratch.CONV_OUTPUT, batch * cout * oh * ow);
            forward(x, xOff, batch, cin, h, w, weight, bias, biasOff, g, act, false, conv, 0, oh, ow, par);
            Pool2d.run(false, conv, 0, batch * cout, oh, ow, true, 2, 2, new ConvGeometry(2, 2, 0, 0, 0, 0, 1, 1, 1), out, outOff,
                    oh / 2, ow / 2, par);
            return;
        }
        int kh = weight.kh(), kw = weight.kw(), kk = cin * kh * kw, nr = weight.panelWidth();
        float[] wd = weight.data();
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW(), pt = g.padTop(), pl = g.padLeft();
        Parallelism p = par.forWork(2L * batch * cout * kk * oh * ow, Parallelism.MIN_WORK_PER_THREAD);
        p.forEach(batch * cout, t -> {
            int b = t / cout, o = t % cout;
            int xb = xOff + b * cin * h * w;
            int wo = (o / nr) * kk * nr + o % nr;
            int oi = outOff + t * oh * ow;
            float b0 = bias == null ? 0f : bias[biasOff + o];
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float s = b0;
                    for (int c = 0, i = 0; c < cin; c++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y * sh - pt + ky * dh;
                            for (int kx = 0; kx < kw; kx++, i++) {
                                int ix = xx * sw - pl + kx * dw;
                                float v = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[xb + (c * h + iy) * w + ix] : 0f;
                                s = Math.fma(v, wd[wo + i * nr], s);
                            }
                        }
                    }
                    out[oi + y * ow + xx] = ActivationsScalar.apply(act, s);
                }
            }
        });
    }
}
