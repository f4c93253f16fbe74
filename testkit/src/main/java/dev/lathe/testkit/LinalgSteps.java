package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Steps of {@code matmul} and {@code linear}. */
final class LinalgSteps {
    private LinalgSteps() {}

    /**
     * a [..., M, K] @ b: b is a param [K, N] or [K] when K is static, else a pool value that fits,
     * else a's own transpose [..., K, M] (which always fits K).
     */
    static void matmul(GraphAssembler g, Choices ch) {
        Value a = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 1);
        if (a == null) return;
        TensorType at = a.type();
        Dim k = at.dim(-1);
        Value b = null;
        if (ch.below(3) == 0 && k.isConstant()) {
            TensorType bt = ch.oneIn(4)
                    ? new TensorType(at.dtype(), List.of(k))
                    : new TensorType(at.dtype(), List.of(k, Dim.of(ch.between(1, g.config().maxDim()))));
            if (Types.attempt(() -> OpTyping.matmul(at, bt)).filter(g::fits).isPresent()) b = g.param(bt);
        }
        if (b == null) {
            b = g.pick(ch, v -> v.type().dtype() == at.dtype() && Types.attempt(() -> OpTyping.matmul(at, v.type())).filter(g::fits).isPresent());
        }
        if (b == null && at.rank() >= 2) {
            List<Integer> perm = new ArrayList<>();
            for (int i = 0; i < at.rank(); i++) perm.add(i);
            perm.set(at.rank() - 2, at.rank() - 1);
            perm.set(at.rank() - 1, at.rank() - 2);
            TensorType tt = Types.attempt(() -> OpTyping.transpose(at, perm)).orElseThrow();
            if (Types.attempt(() -> OpTyping.matmul(at, tt)).filter(g::fits).isPresent()) {
                b = g.op1("transpose", List.of(a), Attrs.of("perm", perm));
            }
        }
        if (b != null) g.op1("matmul", List.of(a, b), Map.of());
    }

    /** x [..., I] with a static I, times a param w [O, I], plus a param b [O] half the time. */
    static void linear(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 1 && v.type().dim(-1).isConstant());
        if (x == null) x = freshInput(g, ch);
        if (x == null) return;
        TensorType xt = x.type();
        Dim in = xt.dim(-1);
        TensorType w = new TensorType(xt.dtype(), List.of(Dim.of(ch.between(1, g.config().maxDim())), in));
        TensorType b = ch.flag() ? null : new TensorType(xt.dtype(), List.of(w.dim(0)));
        if (Types.attempt(() -> OpTyping.linear(xt, w, b)).filter(g::fits).isEmpty()) return;
        Value wv = g.param(w);
        Value bv = b == null ? null : g.param(b);
        g.op1("linear", Arrays.asList(x, wv, bv), Map.of());
    }

    /** An input [..., I] of rank 1 to 3 whose last dim is static. */
    private static Value freshInput(GraphAssembler g, Choices ch) {
        int rank = ch.between(1, Math.min(3, g.config().maxRank()));
        List<Dim> shape = new ArrayList<>();
        for (int i = 0; i < rank - 1; i++) shape.add(g.inputDim(ch, g.config().maxDim(), i == 0, i > 0));
        shape.add(Dim.of(ch.between(1, g.config().maxDim())));
        return g.input(shape);
    }
}
