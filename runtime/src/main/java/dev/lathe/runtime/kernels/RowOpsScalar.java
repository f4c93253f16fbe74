package dev.lathe.runtime.kernels;

/** Row-wise softmax and normalizations in plain Java; statistics accumulate in double. */
final class RowOpsScalar {
    private RowOpsScalar() {}

    static void softmax(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean log) {
        for (int r = 0; r < rows; r++) {
            int xi = off + r * cols, oi = outOff + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[xi + j]);
            double sum = 0;
            if (log) {
                for (int j = 0; j < cols; j++) sum += Math.exp(x[xi + j] - max);
                // (x - max) is exact when x is near max; adding max back into log(sum) first would round at |max|.
                float logSum = (float) Math.log(sum);
                for (int j = 0; j < cols; j++) out[oi + j] = (x[xi + j] - max) - logSum;
            } else {
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(x[xi + j] - max);
                    out[oi + j] = e;
                    sum += e;
                }
                float inv = (float) (1 / sum);
                for (int j = 0; j < cols; j++) out[oi + j] *= inv;
            }
        }
    }

    static void layerNorm(float[] x, int off, int rows, int cols, float[] w, float[] b, float eps, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xi = off + r * cols, oi = outOff + r * cols;
            double mean = 0;
            for (int j = 0; j < cols; j++) mean += x[xi + j];
            mean /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[xi + j] - mean;
                var += d * d;
            }
            var /= cols;
            float inv = (float) (1 / Math.sqrt(var + eps));
            float mu = (float) mean;
            for (int j = 0; j < cols; j++) {
                float y = (x[xi + j] - mu) * inv;
                if (w != null) y *= w[j];
                if (b != null) y += b[j];
                out[oi + j] = y;
            }
        }
    }

    static void rmsNorm(float[] x, int off, int rows, int cols, float[] w, float eps, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xi = off + r * cols, oi = outOff + r * cols;
            double squares = 0;
            for (int j = 0; j < cols; j++) squares += (double) x[xi + j] * x[xi + j];
            float inv = (float) (1 / Math.sqrt(squares / cols + eps));
            for (int j = 0; j < cols; j++) {
                float y = x[xi + j] * inv;
                out[oi + j] = w == null ? y : y * w[j];
            }
        }
    }
}
