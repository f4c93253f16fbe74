package dev.lathe.runtime.kernels;

/**
 * Plain double-precision loops that define what each kernel must compute; the kernels are tested
 * against these, never against each other alone.
 */
final class Reference {
    private Reference() {}

    /** op(A)[m, k] · op(B)[k, n] with the epilogue, into a dense [m, n] double array. */
    static double[] gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                         float[] b, int bOff, int ldb, boolean transB, Epilogue ep, float[] rowBias) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                if (ep.bias() != null) s += ep.bias()[ep.biasOff() + j];
                if (rowBias != null) s += rowBias[i];
                s = activation(ep.act(), s);
                if (ep.residual() != null) s += ep.residual()[ep.resOff() + i * ep.ldr() + j];
                out[i * n + j] = s;
            }
        }
        return out;
    }

    static double activation(Activation act, double x) {
        return switch (act) {
            case NONE -> x;
            case RELU -> Math.max(x, 0);
            case GELU_ERF -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
        };
    }

    /** erf to double precision: the Maclaurin series below 2.5, the continued fraction above (as the interpreter's). */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            double term = a, sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
                if (Math.abs(term) < 1e-20) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double tail = 0;
            for (int k = 200; k >= 1; k--) tail = (k / 2.0) / (a + tail);
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + tail);
        }
        return Math.copySign(r, x);
    }

    static double[] softmax(float[] x, int off, int rows, int cols, boolean log) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[off + r * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(x[off + r * cols + j] - max);
            for (int j = 0; j < cols; j++) {
                double e = x[off + r * cols + j] - max;
                out[r * cols + j] = log ? e - Math.log(sum) : Math.exp(e) / sum;
            }
        }
        return out;
    }

    static double[] layerNorm(float[] x, int off, int rows, int cols, float[] w, float[] b, double eps) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < cols; j++) mean += x[off + r * cols + j];
            mean /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) var += Math.pow(x[off + r * cols + j] - mean, 2);
            var /= cols;
            for (int j = 0; j < cols; j++) {
                double y = (x[off + r * cols + j] - mean) / Math.sqrt(var + eps);
                if (w != null) y *= w[j];
                if (b != null) y += b[j];
                out[r * cols + j] = y;
            }
        }
        return out;
    }

    static double[] rmsNorm(float[] x, int off, int rows, int cols, float[] w, double eps) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = 0; j < cols; j++) sq += (double) x[off + r * cols + j] * x[off + r * cols + j];
            double inv = 1 / Math.sqrt(sq / cols + eps);
            for (int j = 0; j < cols; j++) out[r * cols + j] = x[off + r * cols + j] * inv * (w == null ? 1 : w[j]);
        }
        return out;
    }

    static double[] conv2d(float[] x, int xOff, int batch, int cin, int h, int w, float[] wt, int wOff, int cout, int kh, int kw,
                           float[] bias, ConvGeometry g, Activation act) {
        int oh = g.outputHeight(h, kh), ow = g.outputWidth(w, kw);
        int cg = cin / g.groups(), og = cout / g.groups();
        double[] out = new double[batch * cout * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < cout; o++) {
                int grp = o / og;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = y * g.strideH() - g.padTop() + ky * g.dilationH();
                                if (iy < 0 || iy >= h) continue;
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = xx * g.strideW() - g.padLeft() + kx * g.dilationW();
                                    if (ix < 0 || ix >= w) continue;
                                    s += (double) x[xOff + ((b * cin + grp * cg + c) * h + iy) * w + ix] * wt[wOff + ((o * cg + c) * kh + ky) * kw + kx];
                                }
                            }
                        }
                        out[((b * cout + o) * oh + y) * ow + xx] = activation(act, s);
                    }
                }
            }
        }
        return out;
    }

    /** The interpreter's attention (AttentionOps), on the kernel's layout. */
    static double[] attention(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int batch, int sq, int sk,
                              int heads, int dh, int dv, double scale, boolean causal, AttentionMask mask) {
        return attention(q, qOff, k, kOff, v, vOff, batch, sq, sk, heads, dh, dv, scale, causal, 0, mask);
    }

    /** With a sliding window w > 0: key j visible from query i only if |i + sk - sq - j| < w. */
    static double[] attention(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int batch, int sq, int sk,
                              int heads, int dh, int dv, double scale, boolean causal, int window, AttentionMask mask) {
        int dq = heads * dh, dvAll = heads * dv;
        double[] out = new double[batch * sq * dvAll];
        double[] s = new double[sk];
        boolean[] visible = new boolean[sk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < sq; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < sk; j++) {
                        int mi = mask == null ? 0 : mask.off() + b * mask.strideBatch() + h * mask.strideHead() + i * mask.strideQuery() + j * mask.strideKey();
                        visible[j] = !(causal && j > i + sk - sq) && !(mask != null && !mask.isAdditive() && !mask.allowed()[mi])
                                && !(window > 0 && Math.abs((long) i + sk - sq - j) >= window);
                        if (!visible[j]) continue;
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += (double) q[qOff + (b * sq + i) * dq + h * dh + c] * k[kOff + (b * sk + j) * dq + h * dh + c];
                        s[j] = dot * scale + (mask != null && mask.isAdditive() ? mask.additive()[mi] : 0);
                        max = Math.max(max, s[j]);
                    }
                    if (max == Double.NEGATIVE_INFINITY) continue;
                    double sum = 0;
                    for (int j = 0; j < sk; j++) {
                        s[j] = visible[j] ? Math.exp(s[j] - max) : 0;
                        sum += s[j];
                    }
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < sk; j++) if (visible[j]) acc += s[j] / sum * v[vOff + (b * sk + j) * dvAll + h * dv + c];
                        out[(b * sq + i) * dvAll + h * dv + c] = acc;
                    }
                }
            }
        }
        return out;
    }
}
