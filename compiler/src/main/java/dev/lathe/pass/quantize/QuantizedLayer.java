package dev.lathe.pass.quantize;

import dev.lathe.ir.Node;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import dev.lathe.pass.RuleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a quantized weight's users become: the {@code quantized_linear} attributes and params shared by
 * {@link QuantizeLinearWeight} and {@link QuantizeMatMulWeight}. {@code zeros} is null when symmetric,
 * {@code groupScales} and {@code clip} null except for DGQ (whose activations are always dynamic).
 */
record QuantizedLayer(Value q, Value scales, Value zeros, int bits, Node.QuantGranularity granularity, long group, boolean dynamicActivations,
                      Value groupScales, ClipInputs clip) {
    /** The layer that replaces {@code x · Wᵀ + bias}; with {@code clip}, x is clipped first ({@link ClipInputs}). */
    RuleResult replace(Value x, Value bias, Value out, Provenance provenance, RewriteContext context) {
        if (clip == null) return RuleResult.replaceWith(node(x, bias, out, provenance));
        List<Node> nodes = new ArrayList<>(clip.nodes(x, provenance, context));
        nodes.add(node(nodes.getLast().outputs().getFirst(), bias, out, provenance));
        return new RuleResult.Rewritten(nodes, Map.of());
    }

    private Node.QuantizedLinear node(Value x, Value bias, Value out, Provenance provenance) {
        return new Node.QuantizedLinear(x, q, scales, zeros, bias, bits, granularity, group, out, provenance, dynamicActivations, groupScales);
    }
}
