package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a weight pass did to one target: the graph after it, the target's report entry and the
 * statistics of the rules it ran. {@link #runEach} threads the graph through the targets in order,
 * the loop every per-target pass shares.
 */
public record TargetOutcome(Graph graph, TargetReport report, List<RuleStats> stats) {
    public TargetOutcome {
        stats = List.copyOf(stats);
    }

    /** The target left as it was, with the reason. */
    public static TargetOutcome skipped(Graph g, PlannedPass planned, SkipReason reason, Footprint footprint, Map<String, Object> details) {
        return new TargetOutcome(g, TargetReport.skipped(planned, reason, footprint, details), List.of());
    }

    /** One rewrite of one target at a time. */
    @FunctionalInterface
    public interface PerTarget {
        TargetOutcome apply(Graph graph, PlannedPass target);
    }

    /** Applies {@code rewrite} to each target in order, each seeing the graph the previous one left. */
    public static PassResult runEach(Graph graph, List<PlannedPass> targets, PerTarget rewrite) {
        Graph g = graph;
        List<TargetReport> entries = new ArrayList<>();
        List<RuleStats> stats = new ArrayList<>();
        for (PlannedPass target : targets) {
            TargetOutcome o = rewrite.apply(g, target);
            g = o.graph();
            entries.add(o.report());
            stats.addAll(o.stats());
        }
        return new PassResult(g, entries, RuleStats.merge(stats));
    }
}
