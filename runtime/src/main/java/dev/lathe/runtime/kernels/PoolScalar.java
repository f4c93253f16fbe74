package dev.lathe.runtime.kernels;

/** Pooling loops that name no vector type: any window, and the unpadded 2x2 stride-2 max. */
final class PoolScalar {
    private PoolScalar() {}

    /** One plane, any window: positions outside x are skipped. */
    static void plane(float[] x, int xi, int h, int w, boolean max, int kh, int kw, ConvGeometry g, float[] out, int oi, int oh, int ow) {
        int sh = g.strideH(), sw = g.strideW(), pt = g.padTop(), pl = g.padLeft();
        for (int y = 0; y < oh; y++) {
            int y0 = Math.max(0, y * sh - pt), y1 = Math.min(h, y * sh - pt + kh);
            for (int xx = 0; xx < ow; xx++) {
                int x0 = Math.max(0, xx * sw - pl), x1 = Math.min(w, xx * sw - pl + kw);
                float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0, s = xi + iy * w + x0; ix < x1; ix++, s++) acc = max ? Math.max(acc, x[s]) : acc + x[s];
                }
                // An empty window averages 0 / 0 = NaN, as in the interpreter.
                int count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
                out[oi + y * ow + xx] = max ? acc : acc / count;
            }
        }
    }

    /** One plane, 2x2 windows at stride 2 with no top or left padding: every window starts inside x. */
    static void max2x2(float[] x, int xi, int w, float[] out, int oi, int oh, int ow) {
        for (int y = 0; y < oh; y++) {
            int r0 = xi + 2 * y * w, r1 = r0 + w, o = oi + y * ow;
            for (int xx = 0; xx < ow; xx++) {
                out[o + xx] = Math.max(Math.max(x[r0 + 2 * xx], x[r0 + 2 * xx + 1]), Math.max(x[r1 + 2 * xx], x[r1 + 2 * xx + 1]));
            }
        }
    }
}
