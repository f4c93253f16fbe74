package dev.lathe.runtime.kernels;

import java.util.Arrays;

/** One query row at a time in plain Java: scores for the row (O(sk) scratch), then softmax and V. */
final class AttentionScalar {
    private AttentionScalar() {}

    static void forward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                        int batch, int sq, int sk, int heads, int dh, int dv,
                        float scale, boolean causal, int window, AttentionMask mask,
                        float[] out, int outOff, Parallelism par) {
        int dq = heads * dh, dvAll = heads * dv;
        par = par.forWork(2L * batch * heads * sq * sk * (dh + dv), 1L << 18);
        par.forEach(batch * heads, t -> {
            int b = t / heads, h = t % heads;
            float[] s = new float[sk];
            float[] acc = new float[dv];
            for (int i = 0; i < sq; i++) {
                int qi = qOff + (b * sq + i) * dq + h * dh;
                long pos = (long) i + sk - sq;
                int from = window > 0 ? (int) Math.max(0, pos - window + 1) : 0;
                int limit = (int) Math.max(0, Math.min(sk, causal ? pos + 1 : window > 0 ? pos + window : sk));
                float max = Float.NEGATIVE_INFINITY;
                for (int j = from; j < limit; j++) {
                    float m = 0f;
                    if (mask != null) {
                        int mi = mask.off() + b * mask.strideBatch() + h * mask.strideHead() + i * mask.strideQuery() + j * mask.strideKey();
                        if (mask.isAdditive()) {
                            m = mask.additive()[mi];
                        } else if (!mask.allowed()[mi]) {
                            s[j] = Float.NEGATIVE_INFINITY;
                            continue;
                        }
                    }
                    int kj = kOff + (b * sk + j) * dq + h * dh;
                    float dot = 0f;
                    for (int c = 0; c < dh; c++) dot += q[qi + c] * k[kj + c];
                    s[j] = dot * scale + m;
                    max = Math.max(max, s[j]);
                }
                int oi = outOff + (b * sq + i) * dvAll + h * dv;
                if (max == Float.NEGATIVE_INFINITY) {
                    Arrays.fill(out, oi, oi + dv, 0f);
                    continue;
                }
                Arrays.fill(acc, 0f);
                float sum = 0f;
                for (int j = from; j < limit; j++) {
                    float e = (float) Math.exp(s[j] - max);
                    sum += e;
                    int vj = vOff + (b * sk + j) * dvAll + h * dv;
                    for (int c = 0; c < dv; c++) acc[c] += e * v[vj + c];
                }
                float inv = 1f / sum;
                for (int c = 0; c < dv; c++) out[oi + c] = acc[c] * inv;
            }
        });
    }
}
