package dev.lathe.pass.sparsify;

import dev.lathe.ir.Node;
import dev.lathe.ir.SparseFormat;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces a linear layer whose weight is being pruned by a {@code sparse_linear} over the stored
 * parts; the bias stays as it is.
 * <pre>
 * // before: param blk.1.proj.weight: f32[256, 256]
 * h = linear(a, blk.1.proj.weight, blk.1.proj.bias);
 * // after: params blk.1.proj.weight.values: f32[256, 128], blk.1.proj.weight.indices: i32[256, 128]
 * h = sparse_linear(a, blk.1.proj.weight.values, blk.1.proj.weight.indices, blk.1.proj.bias, format = "2:4");
 * </pre>
 */
record SparsifyLinear(Value weight, SparseFormat format, Value values, Value indices, Value pointers) implements Rule<Node.Linear> {
    @Override
    public Class<Node.Linear> root() {
        return Node.Linear.class;
    }

    @Override
    public RuleResult rewrite(Node.Linear node, RewriteContext context) {
        if (!node.w().equals(weight)) return RuleResult.noMatch("the weight is not the target");
        return RuleResult.replaceWith(new Node.SparseLinear(node.x(), format, values, indices, pointers, node.b(), node.out(), node.provenance()));
    }
}
