package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.List;
import java.util.Objects;

/** A pipeline's output: the rewritten graph, the whole report, and every stage with the graph after it. */
public record PipelineResult(Graph input, Graph graph, PassReport report, List<PipelineStage> stages) {
    public PipelineResult {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(report, "report");
        stages = List.copyOf(stages);
    }
}
