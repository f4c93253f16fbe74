package dev.lathe.interp;

import dev.lathe.diag.ErrorCode;
import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks run-time inputs against a graph's signature and binds its named dims (E06xx). Checks run
 * in a fixed order, so one bad call always reports the same error: unknown names (E0605), missing
 * inputs (E0602), then per input in declaration order element type (E0603) and rank and constant
 * dims (E0604), then named dims: a dim written alone ({@code B}) takes its size from the first
 * input that has it and must agree with every other (E0601), and lie within its declared bounds
 * (E0601); dims written as expressions ({@code 2 * S}) must then equal their value (E0604).
 */
final class InputChecker {
    private InputChecker() {}

    /** The value of every named dim the inputs determine, in order of first binding. */
    static Map<String, Long> check(Graph graph, Map<String, Tensor> inputs) {
        Set<String> declared = new TreeSet<>();
        for (GraphInput in : graph.inputs()) declared.add(in.name());
        Set<String> unknown = new TreeSet<>(inputs.keySet());
        unknown.removeAll(declared);
        if (!unknown.isEmpty()) {
            throw new InputException(ErrorCode.E0605, "unknown input" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; graph " + graph.name() + " takes " + names(graph));
        }
        List<String> missing = new ArrayList<>();
        for (GraphInput in : graph.inputs()) {
            if (inputs.get(in.name()) == null) missing.add(in.name() + ": " + in.value().type());
        }
        if (!missing.isEmpty()) {
            throw new InputException(ErrorCode.E0602, "missing input" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        for (GraphInput in : graph.inputs()) checkTypeAndRank(in, inputs.get(in.name()));

        Map<String, Long> dims = new LinkedHashMap<>();
        Map<String, String> boundBy = new HashMap<>();
        for (GraphInput in : graph.inputs()) bindBareDims(graph, in, inputs.get(in.name()), dims, boundBy);
        for (GraphInput in : graph.inputs()) solveExpressionDims(graph, in, inputs.get(in.name()), dims, boundBy);
        for (GraphInput in : graph.inputs()) checkExpressionDims(in, inputs.get(in.name()), dims);
        return dims;
    }

    private static void checkTypeAndRank(GraphInput in, Tensor t) {
        TensorType type = in.value().type();
        if (t.dtype() != type.dtype()) {
            throw new InputException(ErrorCode.E0603, "input " + in.name() + " must be " + type.dtype().sourceName() + " (" + type
                    + "), got " + t.dtype().sourceName());
        }
        if (t.rank() != type.rank()) {
            throw new InputException(ErrorCode.E0604, "input " + in.name() + " must have rank " + type.rank() + " (" + type
                    + "), got rank " + t.rank() + " " + Arrays.toString(t.shape()));
        }
        for (int i = 0; i < type.rank(); i++) {
            Dim d = type.dim(i);
            if (d.isConstant() && d.constant().getAsLong() != t.dim(i)) {
                throw new InputException(ErrorCode.E0604, "input " + in.name() + " must have dim " + i + " = " + d + " (" + type
                        + "), got " + t.dim(i) + " in " + Arrays.toString(t.shape()));
            }
        }
    }

    private static void bindBareDims(Graph graph, GraphInput in, Tensor t, Map<String, Long> dims, Map<String, String> boundBy) {
        TensorType type = in.value().type();
        for (int i = 0; i < type.rank(); i++) {
            Dim d = type.dim(i);
            if (d.isVariable()) bind(graph, in, d.variableName(), t.dim(i), dims, boundBy);
        }
    }

    /**
     * A dim written as an expression of one unbound name, such as {@code 2 * S} or {@code S + 1},
     * binds that name when the expression is linear in it: with f(0) = c and f(1) = a + c,
     * the name is (size - c) / a, accepted only if evaluating f there gives the size back.
     */
    private static void solveExpressionDims(Graph graph, GraphInput in, Tensor t, Map<String, Long> dims, Map<String, String> boundBy) {
        TensorType type = in.value().type();
        for (int i = 0; i < type.rank(); i++) {
            Dim d = type.dim(i);
            List<String> unbound = new ArrayList<>(d.variables());
            unbound.removeAll(dims.keySet());
            if (d.isVariable() || unbound.size() != 1) continue;
            String name = unbound.getFirst();
            try {
                Map<String, Long> env = new HashMap<>(dims);
                env.put(name, 0L);
                long c = d.evaluate(env);
                env.put(name, 1L);
                long a = d.evaluate(env) - c;
                if (a == 0 || (t.dim(i) - c) % a != 0) continue;
                long value = (t.dim(i) - c) / a;
                env.put(name, value);
                if (value >= 0 && d.evaluate(env) == t.dim(i)) bind(graph, in, name, value, dims, boundBy);
            } catch (ArithmeticException e) {
                // Not linear in the name (a division that does not divide at 0 or 1): left to checkExpressionDims.
            }
        }
    }

    private static void checkExpressionDims(GraphInput in, Tensor t, Map<String, Long> dims) {
        TensorType type = in.value().type();
        for (int i = 0; i < type.rank(); i++) {
            Dim d = type.dim(i);
            if (d.isConstant() || d.isVariable()) continue;
            List<String> unbound = new ArrayList<>(d.variables());
            unbound.removeAll(dims.keySet());
            if (!unbound.isEmpty()) {
                throw new InputException(ErrorCode.E0604, "input " + in.name() + ": dim " + i + " (" + d + ") of " + type
                        + " does not determine " + String.join(", ", unbound) + " from size " + t.dim(i));
            }
            long expected;
            try {
                expected = d.evaluate(dims);
            } catch (ArithmeticException e) {
                throw new InputException(ErrorCode.E0604, "input " + in.name() + ": dim " + i + " (" + d + ") of " + type
                        + " cannot be evaluated: " + e.getMessage());
            }
            if (expected != t.dim(i)) {
                throw new InputException(ErrorCode.E0604, "input " + in.name() + " must have dim " + i + " = " + d + " = " + expected
                        + " (" + type + "), got " + t.dim(i) + " in " + Arrays.toString(t.shape()));
            }
        }
    }

    private static void bind(Graph graph, GraphInput in, String name, long value, Map<String, Long> dims, Map<String, String> boundBy) {
        Long previous = dims.get(name);
        if (previous != null) {
            if (previous != value) {
                throw new InputException(ErrorCode.E0601, "input " + in.name() + " has " + name + " = " + value + ", but input "
                        + boundBy.get(name) + " has " + name + " = " + previous);
            }
            return;
        }
        DimBounds bounds = graph.dims().get(name);
        if (bounds != null && !bounds.contains(value)) {
            throw new InputException(ErrorCode.E0601, "input " + in.name() + " has " + name + " = " + value + ", outside its declared bounds "
                    + (bounds.lo() == null ? "" : bounds.lo()) + ".." + (bounds.hi() == null ? "" : bounds.hi()));
        }
        dims.put(name, value);
        boundBy.put(name, in.name());
    }

    private static String names(Graph graph) {
        List<String> names = graph.inputs().stream().map(GraphInput::name).toList();
        return names.isEmpty() ? "no inputs" : String.join(", ", names);
    }
}
