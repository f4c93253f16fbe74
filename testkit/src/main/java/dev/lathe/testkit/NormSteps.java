package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Steps of {@code layer_norm}, {@code rms_norm} and {@code batch_norm}, with params of broadcasting shapes. */
final class NormSteps {
    /** Variances stay away from zero so that 1 / sqrt(var + eps) is moderate. */
    private static final ValueRange VARIANCES = ValueRange.uniform(0.25, 2.0);

    private NormSteps() {}

    static void layerNorm(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 1);
        if (x == null) return;
        TensorType xt = x.type();
        int axis = ch.below(xt.rank());
        TensorType normalized = new TensorType(xt.dtype(), xt.shape().subList(axis, xt.rank()));
        Value w = g.param(ElementwiseSteps.broadcastingParam(ch, normalized));
        Value b = ch.flag() ? null : g.param(ElementwiseSteps.broadcastingParam(ch, normalized));
        g.op1("layer_norm", Arrays.asList(x, w, b), Attrs.of("axis", ReductionSteps.spellAxis(ch, axis, xt.rank()), "eps", 1e-5));
    }

    /** w is [D] for a static last dim D, else (or a quarter of the time) [1]. */
    static void rmsNorm(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 1);
        if (x == null) return;
        Dim last = x.type().dim(-1);
        Dim width = last.isConstant() && !ch.oneIn(4) ? last : Dim.of(1);
        Value w = g.param(new TensorType(x.type().dtype(), List.of(width)));
        g.op1("rms_norm", List.of(x, w), Attrs.of("eps", 1e-6));
    }

    /** x [N, C, ...] with a static C; without one, a new input of that form. */
    static void batchNorm(GraphAssembler g, Choices ch) {
        if (g.config().maxRank() < 2) return;
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 2 && v.type().dim(1).isConstant());
        if (x == null) {
            int rank = ch.between(2, Math.min(4, g.config().maxRank()));
            List<Dim> shape = new ArrayList<>();
            shape.add(g.inputDim(ch, 2, true, false));
            shape.add(Dim.of(ch.between(1, g.config().maxDim())));
            for (int i = 2; i < rank; i++) shape.add(g.inputDim(ch, g.config().maxDim(), false, true));
            x = g.input(shape);
        }
        if (x == null) return;
        TensorType channels = new TensorType(x.type().dtype(), List.of(x.type().dim(1)));
        Value scale = g.param(channels);
        Value bias = g.param(channels);
        Value mean = g.param(channels);
        Value var = g.param(channels, VARIANCES);
        g.op1("batch_norm", List.of(x, scale, bias, mean, var), Attrs.of("eps", 1e-5));
    }
}
