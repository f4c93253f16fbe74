package dev.lathe.pass.lowrank;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Adds a low-rank residual path to a linear layer whose weight an earlier pass made lossy (EoRA):
 * with W the weight as it was and W' as it is, {@code B A ~ W - W'} fitted to the calibration
 * activations, the layer computes {@code W' x + B (A x)}.
 * <pre>
 * // before: param fc1.weight: f32[256, 784] (holds W', e.g. pruned)
 * h = linear(x, fc1.weight, fc1.bias);
 * // after: param fc1.weight.A: f32[r, 784]; param fc1.weight.B: f32[256, r]
 * h = linear(x, fc1.weight, fc1.bias) + lowrank_linear(x, fc1.weight.A, fc1.weight.B);
 * </pre>
 */
record CompensateLinearLowRank(Value weight, Value a, Value b) implements Rule<Node.Linear> {
    @Override
    public Class<Node.Linear> root() {
        return Node.Linear.class;
    }

    @Override
    public RuleResult rewrite(Node.Linear node, RewriteContext context) {
        if (!node.w().equals(weight)) return RuleResult.noMatch("the weight is not the target");
        // The linear it leaves behind still reads the weight: it must not be compensated twice.
        if (compensated(node.x(), context)) return RuleResult.noMatch("already compensated");
        Value main = context.fresh(node.out().type(), "");
        Value residual = context.fresh(node.out().type(), "");
        return RuleResult.replaceWith(
                new Node.Linear(node.x(), node.w(), node.b(), main, node.provenance()),
                new Node.LowRankLinear(node.x(), a, b, null, residual, node.provenance()),
                new Node.Binary(Node.BinaryKind.ADD, main, residual, node.out(), node.provenance()));
    }

    private boolean compensated(Value x, RewriteContext context) {
        return context.graph().nodes().stream().anyMatch(n -> n instanceof Node.LowRankLinear l && l.a().equals(a) && l.x().equals(x));
    }
}
