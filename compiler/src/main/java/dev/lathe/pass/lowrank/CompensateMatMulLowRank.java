package dev.lathe.pass.lowrank;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Adds a low-rank residual path to a product whose right operand an earlier pass made lossy
 * (EoRA), as {@link CompensateLinearLowRank} does for linear layers; the residual of
 * {@code W [in, out]} is fitted in the linear orientation, {@code (W - W')^T ~ B A}.
 * <pre>
 * // before: param proj: f32[512, 256] (holds W')
 * y = x @ proj;
 * // after: param proj.A: f32[r, 512]; param proj.B: f32[256, r]
 * y = x @ proj + lowrank_linear(x, proj.A, proj.B);
 * </pre>
 */
record CompensateMatMulLowRank(Value weight, Value a, Value b) implements Rule<Node.MatMul> {
    @Override
    public Class<Node.MatMul> root() {
        return Node.MatMul.class;
    }

    @Override
    public RuleResult rewrite(Node.MatMul node, RewriteContext context) {
        if (!node.b().equals(weight)) return RuleResult.noMatch("the right operand is not the target");
        // The linear it leaves behind still reads the weight: it must not be compensated twice.
        if (compensated(node.a(), context)) return RuleResult.noMatch("already compensated");
        Value main = context.fresh(node.out().type(), "");
        Value residual = context.fresh(node.out().type(), "");
        return RuleResult.replaceWith(
                new Node.MatMul(node.a(), node.b(), main, node.provenance()),
                new Node.LowRankLinear(node.a(), a, b, null, residual, node.provenance()),
                new Node.Binary(Node.BinaryKind.ADD, main, residual, node.out(), node.provenance()));
    }

    private boolean compensated(Value x, RewriteContext context) {
        return context.graph().nodes().stream().anyMatch(n -> n instanceof Node.LowRankLinear l && l.a().equals(a) && l.x().equals(x));
    }
}
