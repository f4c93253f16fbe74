package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Small immutable edits of a {@link Graph} that passes share. */
public final class GraphEdits {
    private GraphEdits() {}

    /** One more than the largest value id the graph defines, so fresh values never collide. */
    public static int nextValueId(Graph g) {
        int max = -1;
        for (GraphInput in : g.inputs()) max = Math.max(max, in.value().id());
        for (Param p : g.params()) max = Math.max(max, p.value().id());
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) max = Math.max(max, v.id());
        }
        return max + 1;
    }

    /** The nodes that read {@code v}, in graph order. */
    public static List<Node> users(Graph g, Value v) {
        return g.nodes().stream().filter(n -> n.inputs().contains(v)).toList();
    }

    /** Whether {@code v} is one of the graph's outputs. */
    public static boolean isOutput(Graph g, Value v) {
        return g.outputs().stream().anyMatch(o -> o.value().equals(v));
    }

    /** The graph with the param at {@code path} replaced, in its place, by {@code replacement} (none, one or several). */
    public static Graph replaceParam(Graph g, String path, List<Param> replacement) {
        List<Param> params = new ArrayList<>();
        boolean found = false;
        for (Param p : g.params()) {
            if (p.path().equals(path)) {
                params.addAll(replacement);
                found = true;
            } else {
                params.add(p);
            }
        }
        if (!found) throw new IllegalArgumentException("no param " + path);
        return new Graph(g.name(), g.inputs(), params, g.nodes(), g.outputs(), g.dims());
    }

    /** The graph with the params {@code extra} inserted right after the param at {@code path}. */
    public static Graph addParamsAfter(Graph g, String path, List<Param> extra) {
        Param anchor = g.param(path);
        List<Param> replacement = new ArrayList<>();
        replacement.add(anchor);
        replacement.addAll(extra);
        return replaceParam(g, path, replacement);
    }

    /** Whether the graph has a param at {@code path}. */
    public static boolean hasParam(Graph g, String path) {
        return g.params().stream().anyMatch(p -> p.path().equals(path));
    }

    public static Graph withNodes(Graph g, List<Node> nodes, List<GraphOutput> outputs) {
        return new Graph(g.name(), g.inputs(), g.params(), nodes, outputs, g.dims());
    }
}
