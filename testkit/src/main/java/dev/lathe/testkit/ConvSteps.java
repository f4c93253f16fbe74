package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Steps of {@code conv2d} and the pools on [N, C, H, W] values. Windows are drawn freely; one
 * that does not fit the smallest H and W the named dims allow falls back to 1 x 1, which always fits.
 */
final class ConvSteps {
    private ConvSteps() {}

    static void conv2d(GraphAssembler g, Choices ch) {
        Value x = image(g, ch, true);
        if (x == null) return;
        TensorType xt = x.type();
        int c = (int) Types.constant(xt.dim(1));
        List<Integer> divisors = new ArrayList<>();
        for (int d = 1; d <= c; d++) {
            if (c % d == 0) divisors.add(d);
        }
        int groups = ch.pick(divisors);
        int out = groups * ch.between(1, 2);
        List<Integer> kernel = List.of(ch.between(1, 3), ch.between(1, 3));
        List<Integer> stride = pair(ch, 1, 2);
        List<Integer> dilation = pair(ch, 1, 2);
        List<Integer> pads = pads(ch, 1);
        boolean bias = !ch.flag();
        if (!convFits(g, xt, out, groups, kernel, stride, pads, dilation, bias)) {
            kernel = List.of(1, 1);
            stride = List.of(1, 1);
            dilation = List.of(1, 1);
            pads = List.of(0, 0, 0, 0);
            // With as many output channels as groups (at most C) the result is no larger than x.
            if (!convFits(g, xt, out, groups, kernel, stride, pads, dilation, bias)) out = groups;
        }
        Value w = g.param(weight(xt, out, groups, kernel));
        Value b = bias ? g.param(new TensorType(xt.dtype(), List.of(Dim.of(out)))) : null;
        g.op1("conv2d", Arrays.asList(x, w, b), Attrs.of("stride", spell(ch, stride), "padding", spellPads(ch, pads),
                "dilation", spell(ch, dilation), "groups", groups));
    }

    private static TensorType weight(TensorType x, int out, int groups, List<Integer> kernel) {
        long perGroup = Types.constant(x.dim(1)) / groups;
        return TensorType.of(x.dtype(), out, perGroup, kernel.get(0), kernel.get(1));
    }

    private static boolean convFits(GraphAssembler g, TensorType x, int out, int groups, List<Integer> kernel, List<Integer> stride,
                                    List<Integer> pads, List<Integer> dilation, boolean bias) {
        TensorType w = weight(x, out, groups, kernel);
        TensorType b = bias ? TensorType.of(x.dtype(), out) : null;
        return Types.attempt(() -> OpTyping.conv2d(x, w, b, stride, pads, dilation, groups)).filter(g::fits).isPresent();
    }

    /** Padding stays below the kernel (the typing rule's condition); stride is written as [] (= kernel) a third of the time. */
    static void pool2d(GraphAssembler g, String op, Choices ch) {
        Value x = image(g, ch, false);
        if (x == null) return;
        TensorType xt = x.type();
        Node.PoolKind kind = op.equals("max_pool2d") ? Node.PoolKind.MAX : Node.PoolKind.AVG;
        List<Integer> kernel = List.of(ch.between(1, 3), ch.between(1, 3));
        boolean defaultStride = ch.oneIn(3);
        List<Integer> stride = defaultStride ? kernel : pair(ch, 1, 2);
        List<Integer> pads = pads(ch, Math.min(kernel.get(0), kernel.get(1)) - 1);
        if (!poolFits(g, kind, xt, kernel, stride, pads)) {
            kernel = List.of(1, 1);
            stride = kernel;
            pads = List.of(0, 0, 0, 0);
        }
        Object strideAttr = defaultStride ? List.of() : spell(ch, stride);
        g.op1(op, List.of(x), Attrs.of("kernel", spell(ch, kernel), "stride", strideAttr, "padding", spellPads(ch, pads)));
    }

    private static boolean poolFits(GraphAssembler g, Node.PoolKind kind, TensorType x, List<Integer> kernel, List<Integer> stride,
                                    List<Integer> pads) {
        return Types.attempt(() -> OpTyping.pool2d(kind, x, kernel, stride, pads)).filter(g::fits).isPresent();
    }

    static void globalAvgPool(GraphAssembler g, Choices ch) {
        Value x = image(g, ch, false);
        if (x != null) g.op1("global_avg_pool", List.of(x), Map.of());
    }

    /**
     * A float [N, C, H, W] value of the pool (with a static C when {@code staticChannels}), else a
     * new input of that form; null when the rank limit is below 4.
     */
    private static Value image(GraphAssembler g, Choices ch, boolean staticChannels) {
        if (g.config().maxRank() < 4) return null;
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() == 4 && (!staticChannels || v.type().dim(1).isConstant()));
        if (x != null) return x;
        int maxDim = g.config().maxDim();
        return g.input(List.of(g.inputDim(ch, 2, true, false), Dim.of(ch.between(1, maxDim)), g.inputDim(ch, maxDim + 2, false, true),
                g.inputDim(ch, maxDim + 2, false, true)));
    }

    private static List<Integer> pair(Choices ch, int lo, int hi) {
        return List.of(ch.between(lo, hi), ch.between(lo, hi));
    }

    /** [top, left, bottom, right], each in 0..max; symmetric unless a quarter of the time. */
    private static List<Integer> pads(Choices ch, int max) {
        int h = ch.between(0, max);
        int w = ch.between(0, max);
        if (ch.oneIn(4)) return List.of(h, w, ch.between(0, max), ch.between(0, max));
        return List.of(h, w, h, w);
    }

    /** [h, w] as one int when both are equal (half the time), as the source allows {@code stride = 2}. */
    private static Object spell(Choices ch, List<Integer> hw) {
        return hw.get(0).equals(hw.get(1)) && ch.flag() ? (Object) hw.get(0) : hw;
    }

    /** Pads as one int, [h, w] or all four, whichever the values allow. */
    private static Object spellPads(Choices ch, List<Integer> pads) {
        boolean symmetric = pads.get(0).equals(pads.get(2)) && pads.get(1).equals(pads.get(3));
        if (!symmetric) return pads;
        if (pads.get(0).equals(pads.get(1)) && ch.flag()) return List.of(pads.get(0));
        return ch.flag() ? List.of(pads.get(0), pads.get(1)) : pads;
    }
}
