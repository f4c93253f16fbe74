package dev.lathe.pass.lowrank;

import dev.lathe.ir.Node;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;
import java.util.List;

/**
 * Splits a 1x1 convolution whose kernel is being factored, {@code W [out, in, 1, 1] ~ B A}, into
 * two 1x1 convolutions through r channels. The first keeps the stride, padding and dilation; the
 * second is pointwise and adds the bias. Padded border pixels stay exact: the first conv gives 0
 * there and the second the bias, as the original did.
 * <pre>
 * // before: param c.weight: f32[64, 256, 1, 1]
 * y = conv2d(x, c.weight, c.bias, stride = 2);
 * // after: param c.weight.A: f32[r, 256, 1, 1]; param c.weight.B: f32[64, r, 1, 1]
 * t = conv2d(x, c.weight.A, stride = 2);
 * y = conv2d(t, c.weight.B, c.bias);
 * </pre>
 */
record FactorConv1x1LowRank(Value weight, Value a, Value b) implements Rule<Node.Conv2d> {
    private static final List<Integer> ONE = List.of(1, 1);
    private static final List<Integer> NO_PADS = List.of(0, 0, 0, 0);

    @Override
    public Class<Node.Conv2d> root() {
        return Node.Conv2d.class;
    }

    @Override
    public RuleResult rewrite(Node.Conv2d node, RewriteContext context) {
        if (!node.w().equals(weight)) return RuleResult.noMatch("the kernel is not the target");
        TensorType midType;
        try {
            // mid: [N, r, OH, OW]
            midType = OpTyping.conv2d(node.x().type(), a.type(), null, node.stride(), node.pads(), node.dilation(), 1);
        } catch (OpTypeException e) {
            return RuleResult.noMatch("the factored conv does not type: " + e.getMessage());
        }
        Value mid = context.fresh(midType, "");
        return RuleResult.replaceWith(
                new Node.Conv2d(node.x(), a, null, node.stride(), node.pads(), node.dilation(), 1, mid, node.provenance()),
                new Node.Conv2d(mid, b, node.b(), ONE, NO_PADS, ONE, 1, node.out(), node.provenance()));
    }
}
