package dev.lathe.pass;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a {@link Rule} made of a node: a replacement, or the reason its pattern did not match. */
public sealed interface RuleResult {
    /**
     * The node is replaced by {@code nodes} (in order, each using only values defined before it),
     * and every use of a key of {@code replacements} is redirected to its value. Together they
     * must define every output of the replaced node: either a new node defines it again (the
     * usual case, which keeps its users untouched), or it is redirected to a value of the same type.
     */
    record Rewritten(List<Node> nodes, Map<Value, Value> replacements) implements RuleResult {
        public Rewritten {
            nodes = List.copyOf(nodes);
            replacements = Map.copyOf(replacements);
        }
    }

    /** The pattern did not match; {@code reason} is counted in the rule's statistics. */
    record NoMatch(String reason) implements RuleResult {
        public NoMatch {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Replaces the node by these nodes, the last ones defining its outputs again. */
    static RuleResult replaceWith(Node... nodes) {
        return new Rewritten(List.of(nodes), Map.of());
    }

    /** Says why the pattern did not match (MLIR's {@code notifyMatchFailure}). */
    static RuleResult noMatch(String reason) {
        return new NoMatch(reason);
    }
}
