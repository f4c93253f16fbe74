package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.List;
import java.util.Objects;

/**
 * One run of one pass in a pipeline: the consecutive plan entries that name it, the graph after
 * it, its report entries and its rules' statistics ({@code lathe ir --after} prints {@code graph}).
 * {@code index} counts stages from 1.
 */
public record PipelineStage(int index, String pass, Graph graph, List<TargetReport> entries, List<RuleStats> rules) {
    public PipelineStage {
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(graph, "graph");
        entries = List.copyOf(entries);
        rules = List.copyOf(rules);
    }
}
