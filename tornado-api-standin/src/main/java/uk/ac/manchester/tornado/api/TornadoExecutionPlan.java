package uk.ac.manchester.tornado.api;

import java.util.List;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;

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

    /** Frees the plan's device memory (stand-in: nothing to free); declared checked, as in TornadoVM, so emitted hosts handle it. */
    @Override
    public void close() throws TornadoExecutionPlanException {}
}
