package dev.lathe.ir;

import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link Graph} one call at a time, typing each primitive call with {@link OpTyping}.
 * Values get increasing ids in creation order and nodes are kept in creation order, which is
 * therefore topological. Not thread-safe; one builder per graph.
 */
public final class GraphBuilder {
    private final String graphName;
    private final List<GraphInput> inputs = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, DimBounds> dims = new LinkedHashMap<>();
    private final Set<Integer> defined = new HashSet<>();
    private int nextId;

    public GraphBuilder(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    public Value input(String name, TensorType type, Provenance prov) {
        Value v = fresh(type, name);
        inputs.add(new GraphInput(name, v, prov));
        return v;
    }

    public Value param(String path, TensorType type, Provenance prov) {
        Value v = fresh(type, path);
        params.add(new Param(path, v, prov, null));
        return v;
    }

    public Value constant(Tensor value, Provenance prov) {
        Value v = fresh(OpTyping.constant(value), "");
        add(new Node.Constant(value, v, prov));
        return v;
    }

    /** Declares a named dim with inclusive bounds (null = open); a second declaration replaces the first. */
    public void dim(String name, Long lo, Long hi) {
        dims.put(Objects.requireNonNull(name, "name"), new DimBounds(lo, hi));
    }

    /**
     * Adds a call of the primitive {@code op} of std/ops.model. {@code inputs} are in signature
     * order with null for an absent optional input (a shorter list leaves the rest absent);
     * {@code attrs} are the attributes after defaults. An unknown op, a missing required input
     * or a value not made by this builder is an internal error (IllegalArgumentException).
     */
    public List<Value> op(String op, List<Value> inputs, Map<String, Object> attrs, Provenance prov) throws OpTypeException {
        Objects.requireNonNull(prov, "prov");
        for (Value v : inputs) {
            if (v != null && !defined.contains(v.id())) throw new IllegalArgumentException(op + ": input " + v.ref() + " is not defined in this graph");
        }
        Node node = OpCalls.build(op, inputs, new OpAttributes(op, attrs), prov, this::fresh);
        add(node);
        return node.outputs();
    }

    public Graph build(List<Value> outputs, List<String> outputNames) {
        if (outputs.size() != outputNames.size()) {
            throw new IllegalArgumentException(outputs.size() + " outputs but " + outputNames.size() + " names");
        }
        List<GraphOutput> outs = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) outs.add(new GraphOutput(outputNames.get(i), outputs.get(i)));
        return new Graph(graphName, inputs, params, nodes, outs, dims);
    }

    private Value fresh(TensorType type) {
        return fresh(type, "");
    }

    private Value fresh(TensorType type, String hint) {
        Value v = new Value(nextId++, type, hint);
        defined.add(v.id());
        return v;
    }

    private void add(Node node) {
        nodes.add(node);
    }
}
