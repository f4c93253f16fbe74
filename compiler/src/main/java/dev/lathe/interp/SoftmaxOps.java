package dev.lathe.interp;

import dev.lathe.runtime.Tensor;

/**
 * [ONNX Softmax, LogSoftmax, opset 13+] over one axis. Both subtract the row maximum before
 * exponentiating, so large inputs neither overflow nor lose the small entries; a row of -inf has
 * no defined softmax and gives NaN, as in ONNX Runtime and PyTorch.
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    public static Tensor softmax(Tensor x, int axis) {
        return apply("softmax", x, axis, false);
    }

    /** x - max - log(sum(exp(x - max))), never log(softmax(x)), which is -inf where softmax underflows. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply("log_softmax", x, axis, true);
    }

    private static Tensor apply(String op, Tensor x, int axis, boolean log) {
        long[] shape = x.shape();
        int a = Axes.normalize(op, axis, shape.length);
        int outer = Axes.product(shape, 0, a);
        int n = (int) shape[a];
        int inner = Axes.product(shape, a + 1, shape.length);
        double[] out = new double[x.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                // Row elements are (o, j, i) for j in [0, n): flat index (o * n + j) * inner + i.
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x.getDouble((o * n + j) * inner + i));
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.exp(x.getDouble((o * n + j) * inner + i) - max);
                for (int j = 0; j < n; j++) {
                    int f = (o * n + j) * inner + i;
                    double shifted = x.getDouble(f) - max;
                    out[f] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                }
            }
        }
        return Store.doubles(x.dtype(), shape, out);
    }
}
