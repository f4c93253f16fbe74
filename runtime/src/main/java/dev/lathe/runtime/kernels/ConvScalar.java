package dev.lathe.runtime.kernels;

import java.util.Arrays;

/** Convolution loops that name no vector type: im2col (for either GEMM) and the scalar depthwise loop. */
final class ConvScalar {
    private ConvScalar() {}

    static void im2colGemm(boolean vector, float[] x, int xOff, int batch, int cin, int h, int w, float[] weight, int wOff, int cout,
                           int kh, int kw, float[] bias, int biasOff, ConvGeometry g, Activation act,
                           float[] out, int outOff, int oh, int ow, Parallelism par) {
        int groups = g.groups();
        int cg = cin / groups, og = cout / groups;
        int kk = cg * kh * kw, pixels = oh * ow;
        int nr = Gemm.panelWidth(vector);
        Epilogue ep = Epilogue.of(act);
        for (int b = 0; b < batch; b++) {
            for (int gi = 0; gi < groups; gi++) {
                float[] cols = Scratch.get(Scratch.CONV_COLUMNS, PackedMatrix.size(kk, pixels, nr));
                im2colPacked(x, xOff + (b * cin + gi * cg) * h * w, cg, h, w, kh, kw, g, oh, ow, nr, cols);
                // out[o, pixel] = W[o, (c, ky, kx)] · cols[(c, ky, kx), pixel], bias per row o.
                Gemm.run(vector, og, weight, wOff + gi * og * kk, kk, 1, PackedMatrix.wrap(kk, pixels, nr, cols),
                        out, outOff + (b * cout + gi * og) * pixels, pixels, ep, bias, biasOff + gi * og, par);
            }
        }
    }

    /** Writes B[(c, ky, kx), pixel] = x[c, iy, ix] (0 outside) in packed panels of width nr. */
    static void im2colPacked(float[] x, int xOff, int cg, int h, int w, int kh, int kw, ConvGeometry g,
                             int oh, int ow, int nr, float[] dst) {
        if (g.strideW() == 1) im2colRows(x, xOff, cg, h, w, kh, kw, g, oh, ow, nr, dst);
        else im2colGeneral(x, xOff, cg, h, w, kh, kw, g, oh, ow, nr, dst);
    }

    /**
     * Horizontal stride 1: each output row reads a contiguous run of one input row, so the runs are
     * block-copied (split where they cross a panel boundary) and only the padding is filled.
     */
    private static void im2colRows(float[] x, int xOff, int cg, int h, int w, int kh, int kw, ConvGeometry g,
                                   int oh, int ow, int nr, float[] dst) {
        int pixels = oh * ow, kk = cg * kh * kw;
        int sh = g.strideH(), dh = g.dilationH(), dw = g.dilationW();
        int pt = g.padTop(), pl = g.padLeft();
        int tail = pixels % nr;
        int p = 0;
        for (int c = 0; c < cg; c++) {
            int xc = xOff + c * h * w;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, p++) {
                    int shift = kx * dw - pl; // ix = x + shift
                    int xlo = Math.min(ow, Math.max(0, -shift));
                    int xhi = Math.max(xlo, Math.min(ow, w - shift));
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh - pt + ky * dh;
                        int j0 = y * ow;
                        if (iy < 0 || iy >= h) {
                            toPanels(dst, p, kk, nr, j0, null, 0, ow);
                        } else {
                            toPanels(dst, p, kk, nr, j0, null, 0, xlo);
                            toPanels(dst, p, kk, nr, j0 + xlo, x, xc + iy * w + xlo + shift, xhi - xlo);
                            toPanels(dst, p, kk, nr, j0 + xhi, null, 0, ow - xhi);
                        }
                    }
                    if (tail != 0) {
                        int d = (pixels / nr) * kk * nr + p * nr;
                        Arrays.fill(dst, d + tail, d + nr, 0f);
                    }
                }
            }
        }
    }

    /** Copies src[s, s + len) (zeros when src is null) to pixels [j, j + len) of packed row p. */
    private static void toPanels(float[] dst, int p, int kk, int nr, int j, float[] src, int s, int len) {
        while (len > 0) {
            int lane = j % nr;
            int n = Math.min(len, nr - lane);
            int d = (j / nr) * kk * nr + p * nr + lane;
            if (src == null) Arrays.fill(dst, d, d + n, 0f);
            else System.arraycopy(src, s, dst, d, n);
            j += n;
            s += n;
            len -= n;
        }
    }

    private static void im2colGeneral(float[] x, int xOff, int cg, int h, int w, int kh, int kw, ConvGeometry g,
                                      int oh, int ow, int nr, float[] dst) {
        int pixels = oh * ow, kk = cg * kh * kw;
        int panels = (pixels + nr - 1) / nr;
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW();
        int pt = g.padTop(), pl = g.padLeft();
        int[] oy = new int[nr], ox = new int[nr];
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * nr, width = Math.min(nr, pixels - j0);
            for (int jj = 0; jj < width; jj++) {
                oy[jj] = (j0 + jj) / ow * sh - pt;
                ox[jj] = (j0 + jj) % ow * sw - pl;
            }
            int base = jp * kk * nr;
            int p = 0;
            for (int c = 0; c < cg; c++) {
                int xc = xOff + c * h * w;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++, p++) {
                        int d = base + p * nr;
                        for (int jj = 0; jj < width; jj++) {
                            int iy = oy[jj] + ky * dh, ix = ox[jj] + kx * dw;
                            dst[d + jj] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[xc + iy * w + ix] : 0f;
                        }
                        for (int jj = width; jj < nr; jj++) dst[d + jj] = 0f;
                    }
                }
            }
        }
    }

    static void depthwise(float[] x, int xOff, int batch, int channels, int h, int w, float[] weight, int wOff, int kh, int kw,
                          float[] bias, int biasOff, ConvGeometry g, Activation act, float[] out, int outOff,
                          int oh, int ow, Parallelism par) {
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW();
        int pt = g.padTop(), pl = g.padLeft();
        par = par.forWork(2L * batch * channels * oh * ow * kh * kw, 1L << 18);
        par.forEach(batch * channels, t -> {
            int c = t % channels;
            int xc = xOff + t * h * w;
            int oc = outOff + t * oh * ow;
            int wc = wOff + c * kh * kw;
            float b0 = bias == null ? 0f : bias[biasOff + c];
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float s = b0;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = y * sh - pt + ky * dh;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = xx * sw - pl + kx * dw;
                            if (ix < 0 || ix >= w) continue;
                            s += x[xc + iy * w + ix] * weight[wc + ky * kw + kx];
                        }
                    }
                    out[oc + y * ow + xx] = ActivationsScalar.apply(act, s);
                }
            }
        });
    }
}
