package dev.lathe.interp;

import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * Normalizations [ONNX LayerNormalization, RMSNormalization (opset 23), BatchNormalization in
 * inference form]. Statistics are computed in double in two passes (mean, then the mean of squared
 * deviations), which is exact enough that no compensated summation is needed.
 */
public final class NormalizationOps {
    private NormalizationOps() {}

    /**
     * Normalizes over the dims {@code axis..last}: {@code (x - mean) / sqrt(var + eps) * w + b},
     * with the biased variance (divided by the count, not count - 1). {@code w} and {@code b}
     * broadcast to the normalized dims; {@code b} may be null.
     */
    public static Tensor layerNorm(Tensor x, Tensor w, Tensor b, int axis, double eps) {
        long[] shape = x.shape();
        int a = Axes.normalize("layer_norm", axis, shape.length);
        long[] normShape = Arrays.copyOfRange(shape, a, shape.length);
        int rows = Axes.product(shape, 0, a);
        int n = Axes.product(shape, a, shape.length);
        int[] wi = Broadcasting.sourceIndices("layer_norm", w.shape(), normShape);
        int[] bi = b == null ? null : Broadcasting.sourceIndices("layer_norm", b.shape(), normShape);
        double[] out = new double[x.size()];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < n; j++) mean += x.getDouble(r * n + j);
            mean /= n;
            double var = 0;
            for (int j = 0; j < n; j++) {
                double d = x.getDouble(r * n + j) - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < n; j++) {
                double y = (x.getDouble(r * n + j) - mean) * inv * w.getDouble(wi[j]);
                out[r * n + j] = b == null ? y : y + b.getDouble(bi[j]);
            }
        }
        return Store.doubles(x.dtype(), shape, out);
    }

    /** Over the last dim: {@code x / sqrt(mean(x^2) + eps) * w}; {@code w} broadcasts to the last dim. */
    public static Tensor rmsNorm(Tensor x, Tensor w, double eps) {
        long[] shape = x.shape();
        if (shape.length == 0) throw new InterpreterException("rms_norm: x must have rank >= 1");
        int n = (int) shape[shape.length - 1];
        int rows = Axes.product(shape, 0, shape.length - 1);
        int[] wi = Broadcasting.sourceIndices("rms_norm", w.shape(), new long[] {n});
        double[] out = new double[x.size()];
        for (int r = 0; r < rows; r++) {
            double squares = 0;
            for (int j = 0; j < n; j++) squares += x.getDouble(r * n + j) * x.getDouble(r * n + j);
            double inv = 1 / Math.sqrt(squares / n + eps);
            for (int j = 0; j < n; j++) out[r * n + j] = x.getDouble(r * n + j) * inv * w.getDouble(wi[j]);
        }
        return Store.doubles(x.dtype(), shape, out);
    }

    /**
     * Inference-form batch norm on {@code x: [N, C, ...]} with per-channel {@code [C]} statistics:
     * {@code (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + bias[c]}.
     */
    public static Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean, Tensor var, double eps) {
        long[] shape = x.shape();
        if (shape.length < 2) throw new InterpreterException("batch_norm: x must be [N, C, ...], got " + Arrays.toString(shape));
        int c = (int) shape[1];
        for (Tensor p : new Tensor[] {scale, bias, mean, var}) {
            if (p.rank() != 1 || p.dim(0) != c) {
                throw new InterpreterException("batch_norm: per-channel tensors must be [" + c + "], got " + Arrays.toString(p.shape()));
            }
        }
        int spatial = Axes.product(shape, 2, shape.length);
        double[] out = new double[x.size()];
        for (int f = 0; f < out.length; f++) {
            int ch = (f / spatial) % c;
            out[f] = (x.getDouble(f) - mean.getDouble(ch)) / Math.sqrt(var.getDouble(ch) + eps) * scale.getDouble(ch) + bias.getDouble(ch);
        }
        return Store.doubles(x.dtype(), shape, out);
    }
}
