package dev.lathe.interp;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: runs a bound Graph IR node by node with the plain-Java reference ops,
 * the definition every backend and every lossless pass is tested against (DESIGN.md §4). Slow and
 * simple on purpose. Stateless and thread-safe.
 */
public final class Interpreter {
    private Interpreter() {}

    /**
     * Runs {@code graph} on {@code inputs} (by input name) and returns the outputs by output name,
     * in the graph's order.
     *
     * @throws InputException when the inputs do not fit the signature (E06xx)
     * @throws InterpreterException when an op fails on its run-time values (an index out of range, ...)
     * @throws IllegalStateException when a param has no data ("graph is not bound") or a result
     *     contradicts its IR type (an interpreter or typing bug)
     */
    public static LinkedHashMap<String, Tensor> run(Graph graph, Map<String, Tensor> inputs) {
        Map<String, Long> dims = InputChecker.check(graph, inputs);
        Map<Integer, Tensor> values = new HashMap<>();
        for (GraphInput in : graph.inputs()) values.put(in.value().id(), inputs.get(in.name()));
        for (Param p : graph.params()) {
            if (p.data() == null) throw new IllegalStateException("graph is not bound: param " + p.path() + " has no data");
            values.put(p.value().id(), p.data());
        }
        for (Node node : graph.nodes()) {
            List<Tensor> results;
            try {
                results = NodeEvaluator.evaluate(node, v -> lookup(values, v), dims);
            } catch (InterpreterException e) {
                throw new InterpreterException(e.getMessage() + where(node), e);
            }
            List<Value> outs = node.outputs();
            if (results.size() != outs.size()) {
                throw new IllegalStateException(node.opName() + " gave " + results.size() + " results for " + outs.size() + " outputs");
            }
            for (int i = 0; i < outs.size(); i++) {
                checkAgainstType(node, outs.get(i).type(), results.get(i), dims);
                values.put(outs.get(i).id(), results.get(i));
            }
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (GraphOutput o : graph.outputs()) out.put(o.name(), lookup(values, o.value()));
        return out;
    }

    private static Tensor lookup(Map<Integer, Tensor> values, Value v) {
        Tensor t = values.get(v.id());
        if (t == null) throw new IllegalStateException(v.ref() + " is used before it is defined (IR invariant V2 broken)");
        return t;
    }

    /**
     * The reference ops compute shapes from the data and the IR from the types; the two must
     * agree, or one of them is wrong. Dims whose expression cannot be evaluated are not compared.
     */
    private static void checkAgainstType(Node node, TensorType type, Tensor t, Map<String, Long> dims) {
        boolean fits = t.dtype() == type.dtype() && t.rank() == type.rank();
        for (int i = 0; fits && i < type.rank(); i++) {
            Dim d = type.dim(i);
            if (dims.keySet().containsAll(d.variables())) fits = NodeEvaluator.evaluate(node.opName(), d, dims) == t.dim(i);
        }
        if (!fits) {
            throw new IllegalStateException(node.opName() + " produced " + t.dtype().sourceName() + Arrays.toString(t.shape())
                    + " where the IR says " + type + where(node));
        }
    }

    private static String where(Node node) {
        String path = node.provenance().instancePath();
        return path.isEmpty() ? "" : " (in " + path + ")";
    }
}
