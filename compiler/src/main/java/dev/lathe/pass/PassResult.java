package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.List;
import java.util.Objects;

/** What one pass run gives back: the new graph, one report entry per target, and its rules' statistics. */
public record PassResult(Graph graph, List<TargetReport> entries, List<RuleStats> ruleStats) {
    public PassResult {
        Objects.requireNonNull(graph, "graph");
        entries = List.copyOf(entries);
        ruleStats = List.copyOf(ruleStats);
    }
}
