package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated test case: a well-typed graph with every param bound, inputs that fit it (named
 * dims at the values in {@code dims}, within their declared bounds), and the recipe it was built
 * from. {@link #toString()} prints the IR, the dims, the inputs and the recipe, so a failing
 * property reports a graph one can read and rebuild ({@link GraphGens#assemble}).
 *
 * @param graph  passes {@link dev.lathe.ir.IrVerifier}, params bound
 * @param inputs one tensor per graph input, by name, in the graph's input order
 * @param dims   the run-time value of every named dim of the graph
 * @param recipe what {@link GraphGens#assemble} built this case from
 */
public record GraphCase(Graph graph, Map<String, Tensor> inputs, Map<String, Long> dims, GraphRecipe recipe) {
    public GraphCase {
        java.util.Objects.requireNonNull(graph, "graph");
        java.util.Objects.requireNonNull(recipe, "recipe");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        dims = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
    }

    /** The concrete shape of a (symbolic) type of this graph, with the named dims at their values here. */
    public long[] shapeOf(TensorType type) {
        return type.shape().stream().mapToLong(this::valueOf).toArray();
    }

    /** The value of a dim of this graph, with the named dims at their values here. */
    public long valueOf(Dim dim) {
        return dim.evaluate(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(IrPrinter.print(graph));
        if (!dims.isEmpty()) sb.append("dims ").append(dims).append('\n');
        for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
            sb.append("input ").append(in.getKey()).append(" = ").append(TensorGens.describe(in.getValue())).append('\n');
        }
        return sb.append(recipe).toString();
    }
}
