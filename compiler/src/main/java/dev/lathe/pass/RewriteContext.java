package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import java.util.Optional;

/**
 * What a {@link Rule} may use while rewriting: the graph as it was when the current driver
 * iteration began (for looking up params and their data) and fresh SSA values for the
 * intermediate results of a replacement. Not thread-safe; one per driver run.
 */
public final class RewriteContext {
    private Graph graph;
    private int nextId;

    RewriteContext(Graph graph) {
        this.graph = graph;
        this.nextId = GraphEdits.nextValueId(graph);
    }

    public Graph graph() {
        return graph;
    }

    void startIteration(Graph g) {
        this.graph = g;
        this.nextId = Math.max(nextId, GraphEdits.nextValueId(g));
    }

    /** A value no node of the graph defines yet. */
    public Value fresh(TensorType type, String hint) {
        return new Value(nextId++, type, hint);
    }

    /** The param that {@code v} is, if it is one. */
    public Optional<Param> paramOf(Value v) {
        return graph.params().stream().filter(p -> p.value().equals(v)).findFirst();
    }
}
