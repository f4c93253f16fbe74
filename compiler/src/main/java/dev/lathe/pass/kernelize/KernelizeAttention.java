package dev.lathe.pass.kernelize;

import dev.lathe.ir.Node;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces the softmax attention made by the target instance by a {@code linear_attention} with
 * the same heads, scale and causality.
 * <pre>
 * // before
 * a = attention(q, k, v, heads = 4);
 * // after kernelize(method = "favor", features = 128)
 * a = linear_attention(q, k, v, heads = 4, method = "favor", size = 128, seed = 0);
 * </pre>
 */
record KernelizeAttention(String instancePath, Node.KernelMethod method, int size, long seed) implements Rule<Node.Attention> {
    @Override
    public Class<Node.Attention> root() {
        return Node.Attention.class;
    }

    @Override
    public RuleResult rewrite(Node.Attention node, RewriteContext context) {
        if (!node.provenance().instancePath().equals(instancePath)) return RuleResult.noMatch("not the target instance");
        if (node.mask() != null) return RuleResult.noMatch("the attention has an explicit mask");
        return RuleResult.replaceWith(new Node.LinearAttention(node.q(), node.k(), node.v(), node.heads(), method, size, seed, node.causal(),
                node.scale(), node.out(), node.provenance()));
    }
}
