package dev.lathe.ir;

import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A whole graph: inputs and params (defined first), nodes in topological order, named outputs,
 * and the declared named dims with their bounds. Immutable. The constructor checks only that
 * nothing is null; the invariants are {@link IrVerifier}'s, so a broken graph can be built to test it.
 */
public record Graph(String name, List<GraphInput> inputs, List<Param> params, List<Node> nodes,
                    List<GraphOutput> outputs, Map<String, DimBounds> dims) {
    public Graph {
        Objects.requireNonNull(name, "name");
        inputs = List.copyOf(inputs);
        params = List.copyOf(params);
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
        // Declaration order is kept so that printing is deterministic and reads like the source.
        dims = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
    }

    /**
     * This graph with the given data bound to the params of those paths (others keep theirs).
     * A path that names no param, or data of another dtype or shape, is an internal error: the
     * weights binder reports those to the user (E0403-E0405) before binding.
     */
    public Graph withParamData(Map<String, Tensor> data) {
        Set<String> unused = new HashSet<>(data.keySet());
        List<Param> bound = new ArrayList<>(params.size());
        for (Param p : params) {
            Tensor t = data.get(p.path());
            if (t == null) {
                bound.add(p);
                continue;
            }
            unused.remove(p.path());
            TensorType type = p.type();
            if (t.dtype() != type.dtype() || !type.isStatic() || !Arrays.equals(t.shape(), type.staticShape())) {
                throw new IllegalArgumentException("data for param " + p.path() + " is " + t.dtype().sourceName()
                        + Arrays.toString(t.shape()) + ", param is " + type);
            }
            bound.add(p.withData(t));
        }
        if (!unused.isEmpty()) throw new IllegalArgumentException("no params named " + new TreeSet<>(unused));
        return new Graph(name, inputs, bound, nodes, outputs, dims);
    }

    /** Whether every param has data. */
    public boolean isBound() {
        return params.stream().allMatch(Param::isBound);
    }

    public Param param(String path) {
        for (Param p : params) {
            if (p.path().equals(path)) return p;
        }
        throw new IllegalArgumentException("no param " + path);
    }
}
