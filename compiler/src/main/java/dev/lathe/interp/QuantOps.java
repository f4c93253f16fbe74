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

    /**
     * DGQ (A8W4) {@code quantized_linear}: {@code x: [..., in]}, q u4 (with zeros) or i4 [out, in],
     * channel scales f32 [out, 1], groupScales u8 and zeros [out, in / group]. The int8 weight is
     * {@code W8[o, i] = (q[o, i] - zero) * groupScale}, which must lie in [-128, 127]. Each row r of x
     * is quantized to int8 on the fly: {@code a_r = f32(max_i |x[r, i]| / 127)},
     * {@code xq = clamp(rint(x / a_r), -127, 127)}; then
     * {@code y[r, o] = a_r * scale[o] * sum_i xq[r, i] * W8[o, i] + bias[o]}, the integer sum exact and
     * the product rounded once. A row of zeros gives the bias.
     */
    public static Tensor dgqLinear(Tensor x, Tensor q, Tensor scales, Tensor zeros, Tensor groupScales, Tensor bias, long group) {
        if (x.rank() == 0 || q.rank() != 2 || x.dim(-1) != q.dim(1)) {
            throw new InterpreterException("quantized_linear: x " + Arrays.toString(x.shape()) + " does not match q " + Arrays.toString(q.shape()));
        }
        int in = (int) q.dim(1);
        int outDim = (int) q.dim(0);
        long[] w8 = dgqInt8Weight(q, zeros, groupScales, group);
        if (scales.rank() != 2 || scales.dim(0) != outDim || scales.dim(1) != 1) {
            throw new InterpreterException("quantized_linear: channel scales " + Arrays.toString(scales.shape()) + " do not fit q " + Arrays.toString(q.shape()));
        }
        if (bias != null) {
            ElementwiseOps.requireSameDtype("quantized_linear", x, bias);
            if (bias.rank() != 1 || bias.dim(0) != outDim) {
                throw new InterpreterException("quantized_linear: bias " + Arrays.toString(bias.shape()) + " does not match q " + Arrays.toString(q.shape()));
            }
        }
        int rows = Axes.product(x.shape(), 0, x.rank() - 1);
        double[] out = new double[rows * outDim];
        long[] xq = new long[in];
        for (int r = 0; r < rows; r++) {
            double a = activationScale(x, r * in, in);
            for (int i = 0; i < in; i++) xq[i] = a == 0 ? 0 : quantizeActivation(x.getDouble(r * in + i), a);
            for (int o = 0; o < outDim; o++) {
                long acc = 0;
                for (int i = 0; i < in; i++) acc += xq[i] * w8[o * in + i];
                out[r * outDim + o] = acc * a * scales.getDouble(o) + (bias == null ? 0 : bias.getDouble(o));
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = outDim;
        return Store.doubles(x.dtype(), shape, out);
    }

    /** The int8 weight of a DGQ layer, [out, in] row-major: {@code (q - zero) * groupScale}, checked to lie in [-128, 127]. */
    public static long[] dgqInt8Weight(Tensor q, Tensor zeros, Tensor groupScales, long group) {
        int o = (int) q.dim(0);
        int in = (int) q.dim(1);
        int cols = (int) groupScales.dim(1);
        if (groupScales.rank() != 2 || groupScales.dim(0) != o || group < 1 || (long) cols * group != in) {
            throw new InterpreterException("quantized_linear: group scales " + Arrays.toString(groupScales.shape()) + " do not fit q "
                    + Arrays.toString(q.shape()) + " with group " + group);
        }
        long[] w8 = new long[o * in];
        for (int r = 0; r < o; r++) {
            for (int i = 0; i < in; i++) {
                int s = r * cols + (int) (i / group);
                long v = (q.getLong(r * in + i) - (zeros == null ? 0 : zeros.getLong(s))) * groupScales.getLong(s);
                if (v < -128 || v > 127) throw new InterpreterException("quantized_linear: the int8 weight at [" + r + ", " + i + "] is " + v
                        + ", outside [-128, 127]");
                w8[r * in + i] = v;
            }
        }
        return w8;
    }

    /** The int8 scale of one activation row: {@code f32(max |x| / 127)}, 0 for a row of zeros. */
    public static double activationScale(Tensor x, int offset, int length) {
        double amax = 0;
        for (int i = 0; i < length; i++) amax = Math.max(amax, Math.abs(x.getDouble(offset + i)));
        return (float) (amax / 127);
    }

    /** {@code clamp(rint(v / a), -127, 127)}. */
    public static long quantizeActivation(double v, double a) {
        return Math.clamp((long) Math.rint(v / a), -127, 127);
    }
}
