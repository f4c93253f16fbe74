package uk.ac.manchester.tornado.api;

import java.util.List;

/** Runs immutable task graphs; each {@link #execute()} runs every graph once, in order. */
public class TornadoExecutionPlan implements AutoCloseable {
    private final List<ImmutableTaskGraph> graphs;

    public TornadoExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) throw new IllegalArgumentException("an execution plan needs at least one task graph");
        this.graphs = List.of(graphs);
    }

    public TornadoExecutionResult execute() {
        for (ImmutableTaskGraph g : graphs) g.execute();
        return new TornadoExecutionResult();
    }

    @Override
    public void close() {}
}
