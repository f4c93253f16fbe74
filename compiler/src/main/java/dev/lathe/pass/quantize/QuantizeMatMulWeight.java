package dev.lathe.pass.quantize;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleResult;

/**
 * Replaces a matmul whose right operand W [in, out] is being quantized by a {@code quantized_linear}
 * over the integers of its transpose [out, in] ({@code x @ W = x @ transpose(W^T)}, rank 1 and batched
 * x alike), with no bias.
 * <pre>
 * // before: param proj: f32[64, 16]
 * y = matmul(x, proj);
 * // after: param proj.q: i8[16, 64]; param proj.scales: f32[16, 1]
 * y = quantized_linear(x, proj.q, proj.scales, bits=8, granularity="channel");
 * </pre>
 */
record QuantizeMatMulWeight(Value weight, Value q, Value scales, Value zeros, int bits, Node.QuantGranularity granularity, long group,
        boolean dynamicActivations) implements Rule<Node.MatMul> {
    @Override
    public Class<Node.MatMul> root() {
        return Node.MatMul.class;
    }

    @Override
    public RuleResult rewrite(Node.MatMul node, RewriteContext context) {
        if (!node.b().equals(weight)) return RuleResult.noMatch("the right operand is not the target");
        return RuleResult.replaceWith(new Node.QuantizedLinear(node.a(), q, scales, zeros, null, bits, granularity, group, node.out(),
                node.provenance(), dynamicActivations));
    }
}
