package dev.lathe.lower;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lossless Graph IR cleanup before lowering, in one pass over the nodes in order: constant folding
 * (a node whose inputs are all constants becomes the constant the interpreter computes, up to
 * {@link #FOLD_LIMIT} elements), common-subexpression elimination (a node equal to an earlier one,
 * same op, attributes and inputs, is dropped and its outputs replaced by the earlier node's), then
 * dead-code elimination (nodes no output depends on are dropped). Node records are rebuilt with
 * their inputs replaced generically, through their record components, so that ops added later are
 * handled without changes here.
 */
public final class GraphCleanup {
    /** Largest folded result, in elements: bigger constants would bloat the weights file. */
    public static final int FOLD_LIMIT = 1 << 16;

    private GraphCleanup() {}

    public static Graph run(Graph graph) {
        Map<Integer, Value> replace = new HashMap<>();
        Map<Integer, Node.Constant> constants = new HashMap<>();
        Map<List<Object>, Node> seen = new HashMap<>();
        List<Node> kept = new ArrayList<>();
        for (Node original : graph.nodes()) {
            Node node = substitute(original, replace);
            if (!(node instanceof Node.Constant)) {
                Node folded = fold(node, constants);
                if (folded != null) node = folded;
            }
            List<Object> key = key(node);
            Node earlier = seen.get(key);
            if (earlier != null) {
                for (int i = 0; i < node.outputs().size(); i++) replace.put(node.outputs().get(i).id(), earlier.outputs().get(i));
                continue;
            }
            seen.put(key, node);
            if (node instanceof Node.Constant c) constants.put(c.out().id(), c);
            kept.add(node);
        }
        List<GraphOutput> outputs = new ArrayList<>();
        for (GraphOutput o : graph.outputs()) outputs.add(new GraphOutput(o.name(), replace.getOrDefault(o.value().id(), o.value())));
        // Dead code: walk back from the outputs.
        Set<Integer> live = new HashSet<>();
        for (GraphOutput o : outputs) live.add(o.value().id());
        List<Node> alive = new ArrayList<>();
        for (int i = kept.size() - 1; i >= 0; i--) {
            Node n = kept.get(i);
            if (n.outputs().stream().anyMatch(v -> live.contains(v.id()))) {
                alive.add(n);
                for (Value v : n.inputs()) live.add(v.id());
            }
        }
        java.util.Collections.reverse(alive);
        return new Graph(graph.name(), graph.inputs(), graph.params(), alive, outputs, graph.dims());
    }

    /** The node's result as a constant, when every input is a constant and the result is small and static. */
    private static Node fold(Node node, Map<Integer, Node.Constant> constants) {
        if (node.inputs().isEmpty() || node.outputs().size() != 1) return null;
        List<Node> nodes = new ArrayList<>();
        for (Value v : node.inputs()) {
            Node.Constant c = constants.get(v.id());
            if (c == null) return null;
            if (!nodes.contains(c)) nodes.add(c);
        }
        Value out = node.outputs().getFirst();
        if (!out.type().isStatic()) return null;
        long size = 1;
        for (long d : out.type().staticShape()) size *= d;
        if (size > FOLD_LIMIT) return null;
        nodes.add(node);
        Graph mini = new Graph("fold", List.of(), List.of(), nodes, List.of(new GraphOutput("out", out)), Map.of());
        try {
            Tensor t = Interpreter.run(mini, Map.of()).get("out");
            return new Node.Constant(t, out, node.provenance());
        } catch (RuntimeException e) {
            // An op that fails on these values fails at run time too; leave it there.
            return null;
        }
    }

    /** What makes two nodes compute the same: the record type and every component but outputs and provenance. */
    private static List<Object> key(Node node) {
        List<Object> key = new ArrayList<>();
        key.add(node.getClass());
        Set<Value> outs = new HashSet<>(node.outputs());
        for (RecordComponent rc : node.getClass().getRecordComponents()) {
            Object v = component(node, rc);
            if (v instanceof Provenance) continue;
            if (v instanceof Value val && outs.contains(val)) continue;
            if (v instanceof List<?> list && !list.isEmpty() && list.equals(node.outputs())) continue;
            key.add(v instanceof Double d ? Double.doubleToLongBits(d) : v);
        }
        return key;
    }

    /** The node with every input value replaced by {@code replace} where it has an entry. */
    static Node substitute(Node node, Map<Integer, Value> replace) {
        if (replace.isEmpty() || node.inputs().stream().noneMatch(v -> replace.containsKey(v.id()))) return node;
        RecordComponent[] rcs = node.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            Object v = component(node, rcs[i]);
            if (v instanceof Value val) {
                v = replace.getOrDefault(val.id(), val);
            } else if (v instanceof List<?> list) {
                List<Object> mapped = new ArrayList<>(list.size());
                for (Object o : list) mapped.add(o instanceof Value val ? replace.getOrDefault(val.id(), val) : o);
                v = mapped;
            }
            args[i] = v;
            types[i] = rcs[i].getType();
        }
        try {
            return (Node) node.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + node.opName() + ": " + e, e);
        }
    }

    private static Object component(Node node, RecordComponent rc) {
        try {
            return rc.getAccessor().invoke(node);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of " + node.opName() + ": " + e, e);
        }
    }
}
