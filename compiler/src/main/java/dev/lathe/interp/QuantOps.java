package dev.lathe.interp;

import dev.lathe.ir.Node;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * {@code quantized_linear}: the weight is dequantized in double, {@code W[o, i] = (q[o, i] - zero) * scale}
 * with the scale (and zero point) of row o (row 0 for tensor granularity) and column {@code i / group},
 * then multiplied exactly as {@link LinalgOps#linear} does, so the result is rounded once. The
 * definition every backend is checked against.
 *
 * <p>With dynamic activations each row of x is quantized first, in f32 arithmetic: {@code sx = max|x| / 127},
 * {@code x̂ = clamp(rint(x / sx), -127, 127)} (round half to even; an all-zero row has sx = 0 and x̂ = 0);
 * then per scale cell g of output o the integer sum {@code d = Σ_{i∈g} x̂_i (q[o, i] - zero)} is exact, and
 * {@code y = sx · Σ_g scale_g · d_g + bias} is computed in double and rounded once. A row holding NaN
 * or an infinity gives NaN. The JVM kernel ({@code dev.lathe.runtime.kernels.QuantGemm.dynamic}) computes
 * the same integers, so the two differ only in the last bits of the double rescale.
 */
public final class QuantOps {
    private QuantOps() {}

    /**
     * The weight a quantized layer stands for, [O, I] row-major in double. {@code zeros} is null for
     * symmetric quantization; {@code group} is the number of inputs per scale (I for tensor and channel).
     */
    public static double[] dequantize(Tensor q, Tensor scales, Tensor zeros, Node.QuantGranularity granularity, long group) {
        if (q.rank() != 2 || scales.rank() != 2) throw new InterpreterException("quantized_linear: q and scales need rank 2");
        int o = (int) q.dim(0);
        int in = (int) q.dim(1);
        int cols = (int) scales.dim(1);
        if (group < 1 || (long) cols * group != in) {
            throw new InterpreterException("quantized_linear: scales " + Arrays.toString(scales.shape()) + " do not fit q " + Arrays.toString(q.shape())
                    + " with group " + group);
        }
        boolean perRow = granularity != Node.QuantGranularity.TENSOR;
        double[] w = new double[o * in];
        for (int r = 0; r < o; r++) {
            int scaleRow = perRow ? r * cols : 0;
            for (int i = 0; i < in; i++) {
                int s = scaleRow + (int) (i / group);
                double zero = zeros == null ? 0 : zeros.getLong(s);
                w[r * in + i] = (q.getLong(r * in + i) - zero) * scales.getDouble(s);
            }
        }
        return w;
    }

    /** {@code x: [..., in] @ transpose(deq(q): [out, in]) + bias: [out] -> [..., out]}; {@code zeros} and {@code bias} may be null. */
    public static Tensor quantizedLinear(Tensor x, Tensor q, Tensor scales, Tensor zeros, Tensor bias, Node.QuantGranularity granularity, long group) {
        return quantizedLinear(x, q, scales, zeros, bias, granularity, group, false);
    }

    /** As above; with {@code dynamicActivations} the rows of x are quantized to int8 first (see the class comment). */
    public static Tensor quantizedLinear(Tensor x, Tensor q, Tensor scales, Tensor zeros, Tensor bias, Node.QuantGranularity granularity, long group,
                                         boolean dynamicActivations) {
        if (x.rank() == 0 || q.rank() != 2 || x.dim(-1) != q.dim(1)) {
            throw new InterpreterException("quantized_linear: x " + Arrays.toString(x.shape()) + " does not match q " + Arrays.toString(q.shape()));
        }
        double[] w = dequantize(q, scales, zeros, granularity, group);
        int in = (int) q.dim(1);
        int outDim = (int) q.dim(0);
        if (bias != null) {
            ElementwiseOps.requireSameDtype("quantized_linear", x, bias);
            if (bias.rank() != 1 || bias.dim(0) != outDim) {
                throw new InterpreterException("quantized_linear: bias " + Arrays.toString(bias.shape()) + " does not match q " + Arrays.toString(q.shape()));
            }
        }
        int rows = Axes.product(x.shape(), 0, x.rank() - 1);
        double[] out = new double[rows * outDim];
        if (dynamicActivations) {
            if (!x.dtype().isFloating()) throw new InterpreterException("quantized_linear: dynamic activations need a float x, got " + x.dtype().sourceName());
            dynamic(x, q, scales, zeros, bias, granularity, (int) group, rows, in, outDim, out);
        } else for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outDim; o++) {
                double s = bias == null ? 0 : bias.getDouble(o);
                for (int i = 0; i < in; i++) s += x.getDouble(r * in + i) * w[o * in + i];
                out[r * outDim + o] = s;
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = outDim;
        return Store.doubles(x.dtype(), shape, out);
    }

    /** The dynamic-activation product (class comment) into {@code out} [rows, outDim]. */
    private static void dynamic(Tensor x, Tensor q, Tensor scales, Tensor zeros, Tensor bias, Node.QuantGranularity granularity, int group,
                                int rows, int in, int outDim, double[] out) {
        int cols = in / group;
        boolean perRow = granularity != Node.QuantGranularity.TENSOR;
        long[] xq = new long[in];
        for (int r = 0; r < rows; r++) {
            float amax = 0f;
            for (int i = 0; i < in; i++) amax = Math.max(amax, Math.abs((float) x.getDouble(r * in + i)));
            float sx = amax / 127f;
            for (int i = 0; i < in; i++) {
                xq[i] = sx == 0f || !Float.isFinite(sx) ? 0 : (long) Math.max(-127, Math.min(127, Math.rint((float) x.getDouble(r * in + i) / sx)));
            }
            for (int o = 0; o < outDim; o++) {
                double acc = 0;
                for (int g = 0; g < cols; g++) {
                    int s = (perRow ? o * cols : 0) + g;
                    long zero = zeros == null ? 0 : zeros.getLong(s);
                    long d = 0;
                    for (int i = g * group; i < (g + 1) * group; i++) d += xq[i] * (q.getLong(o * in + i) - zero);
                    acc += scales.getDouble(s) * d;
                }
                out[r * outDim + o] = Float.isFinite(sx) ? sx * acc + (bias == null ? 0 : bias.getDouble(o)) : Double.NaN;
            }
        }
    }
}
