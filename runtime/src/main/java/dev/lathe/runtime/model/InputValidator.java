package dev.lathe.runtime.model;

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
 * Checks run-time inputs against a compiled model's signature and binds its named dims, with the
 * same rules, order and messages as the reference interpreter's input checks: unknown names
 * (E0605), missing inputs (E0602), then per input in declaration order element type (E0603) and
 * rank and constant dims (E0604), then named dims: a dim written alone ({@code B}) takes its size
 * from the first input that has it, must agree with every other and lie within its declared bounds
 * (E0601); a dim written as an expression of one unbound name linear in it ({@code 2 * S}) binds
 * that name; every dim written as an expression must then equal its value (E0604).
 */
public final class InputValidator {
    private final String graphName;
    private final List<ModelSpec.IoSpec> inputs;
    private final List<List<SizeExpr>> shapes = new ArrayList<>();
    private final Map<String, ModelSpec.DimSpec> bounds = new HashMap<>();

    InputValidator(ModelSpec spec) {
        this(spec.graphName(), spec.inputs(), spec.dims());
    }

    /**
     * A validator for a signature: the inputs in declaration order (shapes as written, e.g.
     * {@code 2 * S}) and the declared bounds of named dims. The reference interpreter checks its
     * inputs with this too, so both paths give the same errors.
     */
    public InputValidator(String graphName, List<ModelSpec.IoSpec> inputs, List<ModelSpec.DimSpec> dims) {
        this.graphName = graphName;
        this.inputs = List.copyOf(inputs);
        for (ModelSpec.IoSpec in : this.inputs) shapes.add(SizeExpr.parseAll(in.shape()));
        for (ModelSpec.DimSpec d : dims) bounds.put(d.name(), d);
    }

    /** The value of every named dim the inputs determine, in order of first binding. */
    public Map<String, Long> check(Map<String, Tensor> inputs) {
        Set<String> declared = new TreeSet<>();
        for (ModelSpec.IoSpec in : this.inputs) declared.add(in.name());
        Set<String> unknown = new TreeSet<>(inputs.keySet());
        unknown.removeAll(declared);
        if (!unknown.isEmpty()) {
            List<String> names = this.inputs.stream().map(ModelSpec.IoSpec::name).toList();
            throw new ModelInputException("E0605", unknown.iterator().next(), "unknown input" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; graph " + graphName + " takes " + (names.isEmpty() ? "no inputs" : String.join(", ", names)));
        }
        List<String> missing = new ArrayList<>();
        List<String> missingNames = new ArrayList<>();
        for (ModelSpec.IoSpec in : this.inputs) {
            if (inputs.get(in.name()) == null) {
                missing.add(in.name() + ": " + in.typeString());
                missingNames.add(in.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelInputException("E0602", missingNames.getFirst(), "missing input" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        for (int i = 0; i < this.inputs.size(); i++) checkTypeAndRank(this.inputs.get(i), shapes.get(i), inputs.get(this.inputs.get(i).name()));

        Map<String, Long> dims = new LinkedHashMap<>();
        Map<String, String> boundBy = new HashMap<>();
        for (int i = 0; i < this.inputs.size(); i++) {
            ModelSpec.IoSpec in = this.inputs.get(i);
            Tensor t = inputs.get(in.name());
            List<SizeExpr> shape = shapes.get(i);
            for (int d = 0; d < shape.size(); d++) {
                if (shape.get(d).isVariable()) bind(in, shape.get(d).name(), t.dim(d), dims, boundBy);
            }
        }
        for (int i = 0; i < this.inputs.size(); i++) solveExpressionDims(this.inputs.get(i), shapes.get(i), inputs.get(this.inputs.get(i).name()), dims, boundBy);
        for (int i = 0; i < this.inputs.size(); i++) checkExpressionDims(this.inputs.get(i), shapes.get(i), inputs.get(this.inputs.get(i).name()), dims);
        return dims;
    }

    private static void checkTypeAndRank(ModelSpec.IoSpec in, List<SizeExpr> shape, Tensor t) {
        if (t.dtype() != in.dtype()) {
            throw new ModelInputException("E0603", in.name(), "input " + in.name() + " must be " + in.dtype().sourceName() + " (" + in.typeString()
                    + "), got " + t.dtype().sourceName());
        }
        if (t.rank() != shape.size()) {
            throw new ModelInputException("E0604", in.name(), "input " + in.name() + " must have rank " + shape.size() + " (" + in.typeString()
                    + "), got rank " + t.rank() + " " + Arrays.toString(t.shape()));
        }
        for (int i = 0; i < shape.size(); i++) {
            SizeExpr d = shape.get(i);
            if (d.isConstant() && d.evaluate(Map.of()) != t.dim(i)) {
                throw new ModelInputException("E0604", in.name(), "input " + in.name() + " must have dim " + i + " = " + in.shape().get(i) + " ("
                        + in.typeString() + "), got " + t.dim(i) + " in " + Arrays.toString(t.shape()));
            }
        }
    }

    /** A dim {@code f(name)} linear in one unbound name binds it: with f(0) = c and f(1) = a + c, name = (size - c) / a. */
    private void solveExpressionDims(ModelSpec.IoSpec in, List<SizeExpr> shape, Tensor t, Map<String, Long> dims, Map<String, String> boundBy) {
        for (int i = 0; i < shape.size(); i++) {
            SizeExpr d = shape.get(i);
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
                if (value >= 0 && d.evaluate(env) == t.dim(i)) bind(in, name, value, dims, boundBy);
            } catch (ArithmeticException e) {
                // Not linear in the name: left to checkExpressionDims.
            }
        }
    }

    private static void checkExpressionDims(ModelSpec.IoSpec in, List<SizeExpr> shape, Tensor t, Map<String, Long> dims) {
        for (int i = 0; i < shape.size(); i++) {
            SizeExpr d = shape.get(i);
            if (d.isConstant() || d.isVariable()) continue;
            List<String> unbound = new ArrayList<>(d.variables());
            unbound.removeAll(dims.keySet());
            String text = in.shape().get(i);
            if (!unbound.isEmpty()) {
                throw new ModelInputException("E0604", in.name(), "input " + in.name() + ": dim " + i + " (" + text + ") of " + in.typeString()
                        + " does not determine " + String.join(", ", unbound) + " from size " + t.dim(i));
            }
            long expected;
            try {
                expected = d.evaluate(dims);
            } catch (ArithmeticException e) {
                throw new ModelInputException("E0604", in.name(), "input " + in.name() + ": dim " + i + " (" + text + ") of " + in.typeString()
                        + " cannot be evaluated: " + e.getMessage());
            }
            if (expected != t.dim(i)) {
                throw new ModelInputException("E0604", in.name(), "input " + in.name() + " must have dim " + i + " = " + text + " = " + expected
                        + " (" + in.typeString() + "), got " + t.dim(i) + " in " + Arrays.toString(t.shape()));
            }
        }
    }

    private void bind(ModelSpec.IoSpec in, String name, long value, Map<String, Long> dims, Map<String, String> boundBy) {
        Long previous = dims.get(name);
        if (previous != null) {
            if (previous != value) {
                throw new ModelInputException("E0601", in.name(), "input " + in.name() + " has " + name + " = " + value + ", but input "
                        + boundBy.get(name) + " has " + name + " = " + previous);
            }
            return;
        }
        ModelSpec.DimSpec b = bounds.get(name);
        if (b != null && !b.contains(value)) {
            throw new ModelInputException("E0601", in.name(), "input " + in.name() + " has " + name + " = " + value + ", outside its declared bounds "
                    + (b.lo() == null ? "" : b.lo()) + ".." + (b.hi() == null ? "" : b.hi()));
        }
        dims.put(name, value);
        boundBy.put(name, in.name());
    }
}
