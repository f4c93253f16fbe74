package dev.lathe.interp;

import dev.lathe.ir.Node;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * {@code quantized_linear}: the weight is dequantized in double, {@code W[o, i] = (q[o, i] - zero) * scale}
 * with the scale (and zero point) of row o (row 0 for tensor granularity) and column {@code i / group},
 * then multiplied exactly as {@link LinalgOps#linear} does, so the result is rounded once. The
 * definition every backend is checked against.
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
        for (int r = 0; r < rows; r++) {
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
}
