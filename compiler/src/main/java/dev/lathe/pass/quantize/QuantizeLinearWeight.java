package dev.lathe.pass.quantize;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces a linear layer whose weight is being quantized by a {@code quantized_linear} over the
 * integer weights, their scales and (asymmetric) zero points; the bias stays as it is.
 * <pre>
 * // before: param fc1.weight: f32[128, 64]
 * h = linear(x, fc1.weight, fc1.bias);
 * // after: param fc1.weight.q: i4[128, 64]; param fc1.weight.scales: f32[128, 2]
 * h = quantized_linear(x, fc1.weight.q, fc1.weight.scales, fc1.bias, bits=4, granularity="group", group=32);
 * </pre>
 */
record QuantizeLinearWeight(Value weight, Value q, Value scales, Value zeros, int bits, Node.QuantGranularity granularity, long group,
        boolean dynamicActivations) implements Rule<Node.Linear> {
    @Override
    public Class<Node.Linear> root() {
        return Node.Linear.class;
    }

    @Override
    public RuleResult rewrite(Node.Linear node, RewriteContext context) {
        if (!node.w().equals(weight)) return RuleResult.noMatch("the weight is not the target");
        return RuleResult.replaceWith(new Node.QuantizedLinear(node.x(), q, scales, zeros, node.b(), bits, granularity, group, node.out(),
                node.provenance(), dynamicActivations));
    }
}
