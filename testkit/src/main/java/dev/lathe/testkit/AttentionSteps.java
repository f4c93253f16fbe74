package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Steps of {@code attention} on [B, S, D] values with a static D: k and v are pool values that fit
 * q (q itself for k, k itself for v always do), heads divide both D and Dv, and the mask is absent,
 * a float param [Sq, Sk] (1 where a length is symbolic) or a bool pool value that broadcasts.
 */
final class AttentionSteps {
    private static final double SCALE = 0.5;

    private AttentionSteps() {}

    static void attention(GraphAssembler g, Choices ch) {
        if (g.config().maxRank() < 3) return;
        Value q = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() == 3 && v.type().dim(2).isConstant());
        if (q == null) q = freshInput(g, ch);
        if (q == null) return;
        TensorType qt = q.type();
        Value k = g.pick(ch, v -> v.type().dtype() == qt.dtype() && v.type().rank() == 3 && v.type().dim(0).equals(qt.dim(0))
                && v.type().dim(2).equals(qt.dim(2)));
        TensorType kt = k.type();
        Value v = g.pick(ch, u -> u.type().dtype() == qt.dtype() && u.type().rank() == 3 && u.type().dim(0).equals(kt.dim(0))
                && u.type().dim(1).equals(kt.dim(1)) && u.type().dim(2).isConstant());
        TensorType vt = v.type();
        long d = Types.constant(qt.dim(2));
        long dv = Types.constant(vt.dim(2));
        List<Integer> heads = new ArrayList<>();
        for (int h = 1; h <= Math.min(d, dv); h++) {
            if (d % h == 0 && dv % h == 0) heads.add(h);
        }
        int h = ch.pick(heads);
        int maskForm = ch.below(3);
        TensorType paramMask = new TensorType(qt.dtype(), List.of(staticOrOne(qt.dim(1)), staticOrOne(kt.dim(1))));
        Value boolMask = maskForm != 2 ? null : g.pick(ch, m -> m.type().dtype() == DType.BOOL
                && Types.attempt(() -> OpTyping.attention(qt, kt, vt, m.type(), h)).isPresent());
        TensorType maskType = maskForm == 1 ? paramMask : boolMask == null ? null : boolMask.type();
        // [B, Sq, Dv] can outgrow both q and v when Sq > Sk and Dv > D.
        if (Types.attempt(() -> OpTyping.attention(qt, kt, vt, maskType, h)).filter(g::fits).isEmpty()) return;
        Value mask = maskForm == 1 ? g.param(paramMask) : boolMask;
        Map<String, Object> attrs = Attrs.of("heads", h, "causal", ch.flag());
        if (ch.oneIn(3)) attrs.put("scale", SCALE);
        g.op1("attention", Arrays.asList(q, k, v, mask), attrs);
    }

    private static Dim staticOrOne(Dim d) {
        return d.isConstant() ? d : Dim.of(1);
    }

    /** A new input [B, S, D] with D a multiple of 1 or 2 (so that 2 heads are possible). */
    private static Value freshInput(GraphAssembler g, Choices ch) {
        int maxDim = g.config().maxDim();
        Dim d = Dim.of((long) ch.between(1, 2) * ch.between(1, maxDim));
        return g.input(List.of(g.inputDim(ch, 2, true, false), g.inputDim(ch, maxDim + 2, false, true), d));
    }
}
