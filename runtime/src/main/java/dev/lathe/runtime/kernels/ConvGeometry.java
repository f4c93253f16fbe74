package dev.lathe.runtime.kernels;

/**
 * Strides, pads, dilations and groups of a 2-D convolution. Pads follow ONNX order in
 * {@link #of}: top, left, bottom, right. Output channel o belongs to group {@code o / (cout / groups)}
 * and sees only that group's {@code cin / groups} input channels; {@code groups == cin == cout} is a
 * depthwise convolution.
 */
public record ConvGeometry(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                           int dilationH, int dilationW, int groups) {
    /** Stride 1, no padding, no dilation, one group. */
    public static final ConvGeometry DEFAULT = new ConvGeometry(1, 1, 0, 0, 0, 0, 1, 1, 1);

    public ConvGeometry {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1) {
            throw new IllegalArgumentException("conv strides, dilations and groups must be >= 1: " + this);
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("conv pads must be >= 0: " + this);
        }
    }

    /** From the interpreter's arrays: stride [h, w], pads [top, left, bottom, right], dilation [h, w]. */
    public static ConvGeometry of(int[] stride, int[] pads, int[] dilation, int groups) {
        return new ConvGeometry(stride[0], stride[1], pads[0], pads[1], pads[2], pads[3], dilation[0], dilation[1], groups);
    }

    public int outputHeight(int h, int kh) {
        return outputSize(h, kh, strideH, padTop, padBottom, dilationH);
    }

    public int outputWidth(int w, int kw) {
        return outputSize(w, kw, strideW, padLeft, padRight, dilationW);
    }

    private static int outputSize(int in, int k, int stride, int padA, int padB, int dilation) {
        long span = (long) dilation * (k - 1) + 1;
        long padded = (long) in + padA + padB;
        if (padded < span) throw new IllegalArgumentException("conv window " + span + " exceeds the padded input " + padded);
        return (int) ((padded - span) / stride + 1);
    }
}
