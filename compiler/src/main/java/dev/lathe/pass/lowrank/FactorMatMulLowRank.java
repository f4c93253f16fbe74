package dev.lathe.pass.lowrank;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces a product with a factored right operand, {@code x @ W} with {@code W [in, out]}, by a
 * {@code lowrank_linear}: {@code x @ W = linear(x, W^T)}, and {@code W^T [out, in] ~ B A} is
 * factored in that orientation. A rank-2 W makes the two equal for every rank of x (a 1-D x
 * gives [out] either way).
 * <pre>
 * // before: param proj: f32[512, 256]
 * y = x @ proj;
 * // after: param proj.A: f32[r, 512]; param proj.B: f32[256, r]
 * y = lowrank_linear(x, proj.A, proj.B);
 * </pre>
 */
record FactorMatMulLowRank(Value weight, Value a, Value b) implements Rule<Node.MatMul> {
    @Override
    public Class<Node.MatMul> root() {
        return Node.MatMul.class;
    }

    @Override
    public RuleResult rewrite(Node.MatMul node, RewriteContext context) {
        if (!node.b().equals(weight)) return RuleResult.noMatch("the right operand is not the target");
        return RuleResult.replaceWith(new Node.LowRankLinear(node.a(), a, b, null, node.out(), node.provenance()));
    }
}
