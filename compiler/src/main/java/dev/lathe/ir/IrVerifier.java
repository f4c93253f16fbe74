package dev.lathe.ir;

import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The well-formedness check of a {@link Graph}, run after building and after every pass in tests.
 * Each violation is one line prefixed by the number of the invariant it breaks:
 * <ol>
 *   <li>V1: every value is defined exactly once (as a graph input, a param, or a node output).</li>
 *   <li>V2: every use (node input, graph output) is of a value defined before it, with the type
 *       it was defined with; inputs and params come before all nodes, and node order is
 *       topological.</li>
 *   <li>V3: every node's output types equal its typing rule's result ({@link OpTyping#resultTypes}).
 *       Node constructors already enforce this, so a violation means a rule changed under an
 *       existing node; the check is kept so the verifier does not depend on that.</li>
 *   <li>V4: param paths are non-empty and unique, and param shapes are static (LANGUAGE.md §4).</li>
 *   <li>V5: input names are non-empty and unique; output names are non-empty and unique; the
 *       graph has at least one output.</li>
 *   <li>V6: every dim variable in a value's type is a declared dim ({@link Graph#dims()}) or
 *       occurs in a graph input's type, so every size is known once the inputs are.</li>
 *   <li>V7: bound param data has the param's element type and static shape.</li>
 * </ol>
 */
public final class IrVerifier {
    private IrVerifier() {}

    public static List<String> verify(Graph graph) {
        List<String> out = new ArrayList<>();
        // id -> the value as defined; ids of values already defined at each point of the walk.
        Map<Integer, Value> definitions = new HashMap<>();
        Set<String> knownDims = new HashSet<>(graph.dims().keySet());
        for (GraphInput in : graph.inputs()) knownDims.addAll(variables(in.value().type()));

        Set<String> inputNames = new HashSet<>();
        for (GraphInput in : graph.inputs()) {
            define(in.value(), "input " + in.name(), definitions, out);
            if (in.name().isEmpty()) out.add("V5: an input has an empty name (" + in.value().ref() + ")");
            else if (!inputNames.add(in.name())) out.add("V5: input name " + in.name() + " is used twice");
        }

        Set<String> paths = new HashSet<>();
        for (Param p : graph.params()) {
            define(p.value(), "param " + p.path(), definitions, out);
            if (p.path().isEmpty()) out.add("V4: a param has an empty path (" + p.value().ref() + ")");
            else if (!paths.add(p.path())) out.add("V4: param path " + p.path() + " is used twice");
            if (!p.type().isStatic()) out.add("V4: param " + p.path() + " has a shape not known at compile time: " + p.type());
            checkDims(p.value(), "param " + p.path(), knownDims, out);
            checkData(p, out);
        }

        for (int i = 0; i < graph.nodes().size(); i++) {
            Node n = graph.nodes().get(i);
            String where = "node " + i + " (" + n.opName() + ")";
            for (Value v : n.inputs()) checkUse(v, where, definitions, out);
            checkTyping(n, where, out);
            for (Value v : n.outputs()) {
                define(v, where, definitions, out);
                checkDims(v, where, knownDims, out);
            }
        }

        Set<String> outputNames = new HashSet<>();
        if (graph.outputs().isEmpty()) out.add("V5: the graph has no outputs");
        for (GraphOutput o : graph.outputs()) {
            checkUse(o.value(), "output " + o.name(), definitions, out);
            if (o.name().isEmpty()) out.add("V5: an output has an empty name (" + o.value().ref() + ")");
            else if (!outputNames.add(o.name())) out.add("V5: output name " + o.name() + " is used twice");
        }
        return out;
    }

    private static void define(Value v, String where, Map<Integer, Value> definitions, List<String> out) {
        if (definitions.putIfAbsent(v.id(), v) != null) out.add("V1: " + v.ref() + " is defined again by " + where);
    }

    private static void checkUse(Value v, String where, Map<Integer, Value> definitions, List<String> out) {
        Value def = definitions.get(v.id());
        if (def == null) {
            out.add("V2: " + where + " uses " + v.ref() + " before it is defined (or it is never defined)");
        } else if (!def.type().equals(v.type())) {
            out.add("V2: " + where + " uses " + v.ref() + " as " + v.type() + ", but it is defined as " + def.type());
        }
    }

    private static void checkTyping(Node n, String where, List<String> out) {
        List<TensorType> actual = n.outputs().stream().map(Value::type).toList();
        try {
            List<TensorType> expected = OpTyping.resultTypes(n);
            if (!expected.equals(actual)) out.add("V3: " + where + " has outputs " + actual + ", its typing rule gives " + expected);
        } catch (OpTypeException e) {
            out.add("V3: " + where + " is ill-typed: " + e.getMessage());
        }
    }

    private static void checkDims(Value v, String where, Set<String> knownDims, List<String> out) {
        for (String name : variables(v.type())) {
            if (!knownDims.contains(name)) out.add("V6: " + v.ref() + " of " + where + " has the dim " + name + ", which is neither declared nor in an input");
        }
    }

    private static void checkData(Param p, List<String> out) {
        Tensor data = p.data();
        if (data == null) return;
        TensorType t = p.type();
        if (data.dtype() != t.dtype()) {
            out.add("V7: param " + p.path() + " is " + t + ", its data is " + data.dtype().sourceName());
        }
        if (t.isStatic() && !Arrays.equals(data.shape(), t.staticShape())) {
            out.add("V7: param " + p.path() + " is " + t + ", its data has shape " + Arrays.toString(data.shape()));
        }
    }

    private static Set<String> variables(TensorType t) {
        Set<String> names = new HashSet<>();
        for (Dim d : t.shape()) names.addAll(d.variables());
        return names;
    }
}
