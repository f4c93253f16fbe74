package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution: one (image, channel) plane per task. With horizontal stride 1 the
 * interior columns (every tap inside the input) run L outputs at a time; the padded border columns and
 * other strides run the scalar loop. The activation is applied to each finished plane.
 */
final class ConvVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);

    private ConvVector() {}

    static void depthwise(float[] x, int xOff, int batch, int channels, int h, int w, float[] weight, int wOff, int kh, int kw,
                          float[] bias, int biasOff, ConvGeometry g, Activation act, float[] out, int outOff,
                          int oh, int ow, Parallelism par) {
        int sh = g.strideH(), sw = g.strideW(), dh = g.dilationH(), dw = g.dilationW();
        int pt = g.padTop(), pl = g.padLeft();
        // Output columns [xa, xb) read only in-range input columns (stride 1 only).
        int xa = sw == 1 ? Math.min(ow, pl) : ow;
        int xb = sw == 1 ? Math.max(xa, Math.min(ow, w + pl - (kw - 1) * dw)) : ow;
        par = par.forWork(2L * batch * channels * oh * ow * kh * kw, Parallelism.MIN_WORK_PER_THREAD / 4);
        par.forEach(batch * channels, t -> {
            int c = t % channels;
            int xc = xOff + t * h * w;
            int oc = outOff + t * oh * ow;
            int wc = wOff + c * kh * kw;
            float b0 = bias == null ? 0f : bias[biasOff + c];
            for (int y = 0; y < oh; y++) {
                int orow = oc + y * ow;
                for (int xx = 0; xx < ow; xx++) {
                    if (xx == xa) xx = xb; // the interior is the vector loop's
                    if (xx >= ow) break;
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
                    out[orow + xx] = s;
                }
                for (int xx = xa; xx < xb; xx += L) {
                    VectorMask<Float> m = xx + L <= xb ? ALL : S.indexInRange(xx, xb);
                    FloatVector acc = FloatVector.broadcast(S, b0);
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = y * sh - pt + ky * dh;
                        if (iy < 0 || iy >= h) continue;
                        int src = xc + iy * w + xx - pl;
                        for (int kx = 0; kx < kw; kx++) {
                            acc = FloatVector.fromArray(S, x, src + kx * dw, m).fma(FloatVector.broadcast(S, weight[wc + ky * kw + kx]), acc);
                        }
                    }
                    acc.intoArray(out, orow + xx, m);
                }
            }
            if (act != Activation.NONE) ActivationsVector.apply(act, out, oc, oh * ow, out, oc);
        });
    }
}
