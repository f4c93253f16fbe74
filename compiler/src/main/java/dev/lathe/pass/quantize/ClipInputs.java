package dev.lathe.pass.quantize;

import dev.lathe.ir.Node;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.Value;
import dev.lathe.pass.RewriteContext;
import java.util.List;

/**
 * DGQ's per-channel clipping of activation outliers, in existing ops: {@code max(min(x, high), low)}
 * with {@code high} = the clipping levels f32 [n] and {@code low} their negation, broadcast over the
 * rows of x [..., n]. A rule's nodes, placed before the layer that reads the clipped x.
 */
record ClipInputs(Value low, Value high) {
    /** The nodes that clip {@code x}; the last one defines the clipped value. */
    List<Node> nodes(Value x, Provenance provenance, RewriteContext context) {
        Value capped = context.fresh(x.type(), "clip_high");
        Value clipped = context.fresh(x.type(), "clipped");
        return List.of(new Node.Binary(Node.BinaryKind.MIN, x, high, capped, provenance),
                new Node.Binary(Node.BinaryKind.MAX, capped, low, clipped, provenance));
    }
}
