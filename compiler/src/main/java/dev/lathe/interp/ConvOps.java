package dev.lathe.interp;

import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * 2-D convolution and pooling on NCHW tensors [ONNX Conv, MaxPool, AveragePool with
 * count_include_pad = 0, GlobalAveragePool]. Pads are {@code [top, left, bottom, right]}; output
 * sizes are {@code floor((in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride) + 1}.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * [Conv]: {@code x: [N, C, H, W]}, {@code w: [O, C / groups, KH, KW]}, {@code b: [O]} or null.
     * Output channel o belongs to group {@code o / (O / groups)} and sees only that group's input
     * channels; {@code groups == C == O} is a depthwise convolution.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] pads, int[] dilation, int groups) {
        ElementwiseOps.requireSameDtype("conv2d", x, w);
        requireRank4("conv2d", x);
        if (w.rank() != 4) throw new InterpreterException("conv2d: w must be [O, C/groups, KH, KW], got " + Arrays.toString(w.shape()));
        checkGeometry("conv2d", stride, pads, dilation);
        int n = (int) x.dim(0), c = (int) x.dim(1), h = (int) x.dim(2), wd = (int) x.dim(3);
        int o = (int) w.dim(0), cg = (int) w.dim(1), kh = (int) w.dim(2), kw = (int) w.dim(3);
        if (groups <= 0 || c % groups != 0 || o % groups != 0 || cg != c / groups) {
            throw new InterpreterException("conv2d: x " + Arrays.toString(x.shape()) + " and w " + Arrays.toString(w.shape()) + " do not fit groups = " + groups);
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != o)) throw new InterpreterException("conv2d: bias must be [" + o + "], got " + Arrays.toString(b.shape()));
        int oh = outputSize("conv2d", h, kh, stride[0], pads[0], pads[2], dilation[0]);
        int ow = outputSize("conv2d", wd, kw, stride[1], pads[1], pads[3], dilation[1]);
        int perGroup = o / groups;
        double[] out = new double[n * o * oh * ow];
        for (int bn = 0; bn < n; bn++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / perGroup;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double s = b == null ? 0 : b.getDouble(oc);
                        for (int ic = 0; ic < cg; ic++) {
                            int inC = g * cg + ic;
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = y * stride[0] - pads[0] + ky * dilation[0];
                                if (iy < 0 || iy >= h) continue;
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = xx * stride[1] - pads[1] + kx * dilation[1];
                                    if (ix < 0 || ix >= wd) continue;
                                    s += x.getDouble(((bn * c + inC) * h + iy) * wd + ix) * w.getDouble(((oc * cg + ic) * kh + ky) * kw + kx);
                                }
                            }
                        }
                        out[((bn * o + oc) * oh + y) * ow + xx] = s;
                    }
                }
            }
        }
        return Store.doubles(x.dtype(), new long[] {n, o, oh, ow}, out);
    }

    /** [MaxPool]: padded positions are ignored (never the maximum). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] pads) {
        return pool("max_pool2d", x, kernel, stride, pads, true);
    }

    /** [AveragePool, count_include_pad = 0]: each window averages only the positions inside x. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] pads) {
        return pool("avg_pool2d", x, kernel, stride, pads, false);
    }

    /** [GlobalAveragePool]: the mean over H and W, giving {@code [N, C, 1, 1]}. */
    public static Tensor globalAvgPool(Tensor x) {
        requireRank4("global_avg_pool", x);
        return ReductionOps.mean(x, new int[] {2, 3}, true);
    }

    /**
     * An int-list attribute that is one value for both spatial dims or {@code [h, w]}
     * (stride, dilation, kernel) as {@code [h, w]}.
     */
    public static int[] pair(String name, List<Long> values) {
        return switch (values.size()) {
            case 1 -> new int[] {Math.toIntExact(values.get(0)), Math.toIntExact(values.get(0))};
            case 2 -> new int[] {Math.toIntExact(values.get(0)), Math.toIntExact(values.get(1))};
            default -> throw new IllegalArgumentException(name + " must be one int or [h, w], got " + values);
        };
    }

    /** The padding attribute, {@code p}, {@code [h, w]} or {@code [top, left, bottom, right]}, as the last form. */
    public static int[] pads(List<Long> values) {
        return switch (values.size()) {
            case 1, 2 -> {
                int[] hw = pair("padding", values);
                yield new int[] {hw[0], hw[1], hw[0], hw[1]};
            }
            case 4 -> values.stream().mapToInt(Math::toIntExact).toArray();
            default -> throw new IllegalArgumentException("padding must be p, [h, w] or [top, left, bottom, right], got " + values);
        };
    }

    private static Tensor pool(String op, Tensor x, int[] kernel, int[] stride, int[] pads, boolean max) {
        requireRank4(op, x);
        checkGeometry(op, stride, pads, new int[] {1, 1});
        if (kernel.length != 2 || kernel[0] <= 0 || kernel[1] <= 0) throw new InterpreterException(op + ": kernel must be two positive sizes, got " + Arrays.toString(kernel));
        int n = (int) x.dim(0), c = (int) x.dim(1), h = (int) x.dim(2), wd = (int) x.dim(3);
        int oh = outputSize(op, h, kernel[0], stride[0], pads[0], pads[2], 1);
        int ow = outputSize(op, wd, kernel[1], stride[1], pads[1], pads[3], 1);
        double[] out = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int ky = 0; ky < kernel[0]; ky++) {
                        int iy = y * stride[0] - pads[0] + ky;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kernel[1]; kx++) {
                            int ix = xx * stride[1] - pads[1] + kx;
                            if (ix < 0 || ix >= wd) continue;
                            double v = x.getDouble((plane * h + iy) * wd + ix);
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    // A window lying wholly in the padding has no elements: its average is NaN, as 0 / 0.
                    out[(plane * oh + y) * ow + xx] = max ? acc : acc / count;
                }
            }
        }
        return Store.doubles(x.dtype(), new long[] {n, c, oh, ow}, out);
    }

    private static int outputSize(String op, int in, int k, int stride, int padBegin, int padEnd, int dilation) {
        int span = dilation * (k - 1) + 1;
        int padded = in + padBegin + padEnd;
        if (padded < span) {
            throw new InterpreterException(op + ": window of " + span + " does not fit input size " + in + " with padding " + padBegin + " + " + padEnd);
        }
        return Math.floorDiv(padded - span, stride) + 1;
    }

    private static void checkGeometry(String op, int[] stride, int[] pads, int[] dilation) {
        if (stride.length != 2 || stride[0] <= 0 || stride[1] <= 0) throw new InterpreterException(op + ": stride must be two positive ints, got " + Arrays.toString(stride));
        if (dilation.length != 2 || dilation[0] <= 0 || dilation[1] <= 0) throw new InterpreterException(op + ": dilation must be two positive ints, got " + Arrays.toString(dilation));
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0)) throw new InterpreterException(op + ": pads must be four non-negative ints, got " + Arrays.toString(pads));
    }

    private static void requireRank4(String op, Tensor x) {
        if (x.rank() != 4) throw new InterpreterException(op + ": x must be [N, C, H, W], got " + Arrays.toString(x.shape()));
    }
}
