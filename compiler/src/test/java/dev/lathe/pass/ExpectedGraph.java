package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An expected graph for golden tests, written node by node with the IR records themselves (so it
 * can hold ops the language has no syntax for, such as {@code lowrank_linear}); compared with
 * {@link IrStructure#assertSame}, which ignores ids, provenance and data.
 */
public final class ExpectedGraph {
    public static final Provenance P = Provenance.NONE;

    private final List<GraphInput> inputs = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private int next;

    public Value input(String name, TensorType type) {
        Value v = new Value(next++, type, name);
        inputs.add(new GraphInput(name, v, P));
        return v;
    }

    public Value param(String path, TensorType type) {
        Value v = new Value(next++, type, path);
        params.add(new Param(path, v, P, null));
        return v;
    }

    /** Adds the node that {@code make} builds around a fresh output of {@code type}; returns that output. */
    public Value node(TensorType type, Function<Value, Node> make) {
        Value out = new Value(next++, type, "");
        nodes.add(make.apply(out));
        return out;
    }

    public Graph build(Value... outputs) {
        List<GraphOutput> outs = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) outs.add(new GraphOutput(outputs.length == 1 ? "y" : "y" + i, outputs[i]));
        return new Graph("main", inputs, params, nodes, outs, Map.of());
    }
}
