package dev.lathe.pass.lowrank;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces a linear layer whose weight is being factored, {@code W [out, in] ~ B A}, by a
 * {@code lowrank_linear} over the factors; the bias stays as it is.
 * <pre>
 * // before: param fc1.weight: f32[256, 784]
 * h = linear(x, fc1.weight, fc1.bias);
 * // after: param fc1.weight.A: f32[r, 784]; param fc1.weight.B: f32[256, r]
 * h = lowrank_linear(x, fc1.weight.A, fc1.weight.B, fc1.bias);
 * </pre>
 */
record FactorLinearLowRank(Value weight, Value a, Value b) implements Rule<Node.Linear> {
    @Override
    public Class<Node.Linear> root() {
        return Node.Linear.class;
    }

    @Override
    public RuleResult rewrite(Node.Linear node, RewriteContext context) {
        if (!node.w().equals(weight)) return RuleResult.noMatch("the weight is not the target");
        return RuleResult.replaceWith(new Node.LowRankLinear(node.x(), a, b, node.b(), node.out(), node.provenance()));
    }
}
