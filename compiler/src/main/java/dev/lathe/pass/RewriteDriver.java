package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one rewrite driver (DESIGN.md §5): sweeps the graph's nodes in order, offers each node to
 * the rules whose root class it has (in the order given; the first that fires wins), and repeats
 * sweeps until one changes nothing (a fixpoint) or the iteration cap is reached (DESIGN.md §8: pass
 * fixpoints are capped, so a pair of rules undoing each other cannot hang the compiler). Nodes made
 * by a rule are offered to the rules again in the next sweep, not in the one that made them.
 * Counts, per rule, attempts, firings and the no-match reasons. Immutable and thread-safe.
 */
public final class RewriteDriver {
    /** Sweeps before a run is cut off; a lossless cleanup converges in a few. */
    public static final int DEFAULT_MAX_ITERATIONS = 16;

    private final String passName;
    private final List<Rule<?>> rules;
    private final int maxIterations;

    public RewriteDriver(String passName, List<? extends Rule<?>> rules, int maxIterations) {
        this.passName = Objects.requireNonNull(passName, "passName");
        this.rules = List.copyOf(rules);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations " + maxIterations + " is below 1");
        this.maxIterations = maxIterations;
    }

    public RewriteDriver(String passName, List<? extends Rule<?>> rules) {
        this(passName, rules, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * @param graph      the graph after the last sweep
     * @param stats      one entry per rule, in the order given
     * @param iterations the sweeps made, the last unchanged one included when converged
     * @param converged  whether the last sweep changed nothing; false when the cap cut the run off
     */
    public record Result(Graph graph, List<RuleStats> stats, int iterations, boolean converged) {
        public Result {
            stats = List.copyOf(stats);
        }
    }

    public Result run(Graph graph) {
        Map<Rule<?>, Counter> counters = new LinkedHashMap<>();
        for (Rule<?> r : rules) counters.put(r, new Counter());
        RewriteContext context = new RewriteContext(graph);
        Graph g = graph;
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            iterations++;
            context.startIteration(g);
            Sweep sweep = sweep(g, context, counters);
            g = sweep.graph;
            if (!sweep.changed) {
                converged = true;
                break;
            }
        }
        List<RuleStats> stats = new ArrayList<>();
        counters.forEach((r, c) -> stats.add(new RuleStats(passName, r.name(), c.attempts, c.fired, c.noMatch)));
        return new Result(g, stats, iterations, converged);
    }

    private record Sweep(Graph graph, boolean changed) {}

    private Sweep sweep(Graph g, RewriteContext context, Map<Rule<?>, Counter> counters) {
        Map<Value, Value> replacements = new HashMap<>();
        List<Node> nodes = new ArrayList<>(g.nodes().size());
        boolean changed = false;
        for (Node original : g.nodes()) {
            Node node = NodeInputs.substitute(original, replacements);
            RuleResult.Rewritten rewrite = null;
            for (Rule<?> rule : rules) {
                if (!rule.root().isInstance(node)) continue;
                Counter c = counters.get(rule);
                c.attempts++;
                RuleResult result = apply(rule, node, context);
                if (result instanceof RuleResult.NoMatch(String reason)) {
                    c.noMatch.merge(reason, 1, Integer::sum);
                    continue;
                }
                rewrite = (RuleResult.Rewritten) result;
                check(rule, node, rewrite);
                c.fired++;
                break;
            }
            if (rewrite == null) {
                nodes.add(node);
                continue;
            }
            changed = true;
            nodes.addAll(rewrite.nodes());
            // A replacement value is defined before this node, so it is already final: chains resolve here.
            rewrite.replacements().forEach((from, to) -> replacements.put(from, replacements.getOrDefault(to, to)));
        }
        List<GraphOutput> outputs = g.outputs().stream()
                .map(o -> new GraphOutput(o.name(), replacements.getOrDefault(o.value(), o.value())))
                .toList();
        return new Sweep(GraphEdits.withNodes(g, nodes, outputs), changed);
    }

    @SuppressWarnings("unchecked")
    private static <N extends Node> RuleResult apply(Rule<N> rule, Node node, RewriteContext context) {
        return Objects.requireNonNull(rule.rewrite((N) node, context), rule.name() + " returned null");
    }

    /** A rule must account for every output of the node it replaces; anything else is a bug in the rule. */
    private static void check(Rule<?> rule, Node node, RuleResult.Rewritten rewrite) {
        Set<Value> defined = new HashSet<>();
        for (Node n : rewrite.nodes()) defined.addAll(n.outputs());
        for (Value out : node.outputs()) {
            Value to = rewrite.replacements().get(out);
            boolean redefined = defined.contains(out);
            if (redefined == (to != null)) {
                throw new IllegalStateException(rule.name() + " must either define " + out.ref() + " again or redirect its uses, exactly one of them");
            }
            if (to != null && !to.type().equals(out.type())) {
                throw new IllegalStateException(rule.name() + " redirects " + out.ref() + ": " + out.type() + " to a value of type " + to.type());
            }
        }
    }

    private static final class Counter {
        int attempts;
        int fired;
        final Map<String, Integer> noMatch = new HashMap<>();
    }
}
