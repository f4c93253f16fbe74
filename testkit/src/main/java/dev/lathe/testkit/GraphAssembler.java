package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Builds the graph of one {@link GraphRecipe}: the inputs, then each step through its op family
 * ({@link ElementwiseSteps}, {@link ShapeSteps}, ...), which picks operands of fitting types among
 * the values built so far or makes one. Every value stays within the config's rank and size limits
 * for every value of the named dims within their bounds, so the graph runs for any such dims.
 *
 * <p>The families call {@link GraphBuilder#op} only with operands they checked, so an
 * {@link OpTypeException} here is a bug of this generator, reported as an
 * {@link IllegalStateException} naming the step. Not thread-safe; one per graph.
 */
final class GraphAssembler {
    static final String GRAPH_NAME = "generated";
    static final String BATCH = "B";
    static final String SEQUENCE = "S";

    private final GraphConfig config;
    private final GraphRecipe recipe;
    private final GraphBuilder builder = new GraphBuilder(GRAPH_NAME);
    private final SplittableRandom data;
    /** Named dims at their lower and their upper bounds. */
    private final Map<String, Long> lows = new LinkedHashMap<>();
    private final Map<String, Long> highs = new LinkedHashMap<>();
    /** Every value an op may take, in creation order. */
    private final List<Value> pool = new ArrayList<>();
    private final List<Value> nodeOutputs = new ArrayList<>();
    private final Set<Integer> consumed = new HashSet<>();
    private final Map<String, Tensor> paramData = new LinkedHashMap<>();
    private int nodeCount;
    private int inputCount;
    private int paramCount;
    private Provenance provenance = Provenance.NONE;
    private GraphRecipe.Step step;

    private GraphAssembler(GraphRecipe recipe, GraphConfig config) {
        this.config = config;
        this.recipe = recipe;
        this.data = new SplittableRandom(recipe.seed());
    }

    static GraphCase assemble(GraphRecipe recipe, GraphConfig config) {
        return new GraphAssembler(recipe, config).run();
    }

    private GraphCase run() {
        if (config.symbolicDims()) {
            declare(BATCH, config.batchBounds());
            declare(SEQUENCE, config.sequenceBounds());
        }
        for (List<Dim> shape : recipe.inputs()) {
            for (Dim d : shape) {
                for (String v : d.variables()) {
                    if (!lows.containsKey(v)) throw new IllegalArgumentException("input dim " + v + " is not a named dim of this config");
                }
            }
            input(withinLimits(shape));
        }
        List<GraphRecipe.Step> steps = recipe.steps();
        for (int i = 0; i < steps.size() && nodeCount < config.maxNodes(); i++) {
            step = steps.get(i);
            if (step.op().equals(GraphRecipe.Step.SKIP)) continue;
            provenance = new Provenance(null, "s" + i);
            apply(step.op(), new Choices(step.choices()));
        }
        Graph graph = finish().withParamData(paramData);
        return new GraphCase(graph, inputData(graph), recipe.dims(), recipe);
    }

    private void declare(String name, long[] loHi) {
        builder.dim(name, loHi[0], loHi[1]);
        lows.put(name, loHi[0]);
        highs.put(name, loHi[1]);
        Long chosen = recipe.dims().get(name);
        if (chosen == null || chosen < loHi[0] || chosen > loHi[1]) {
            throw new IllegalArgumentException("the recipe gives dim " + name + " = " + chosen + ", outside " + loHi[0] + ".." + loHi[1]);
        }
    }

    private void apply(String op, Choices ch) {
        switch (op) {
            case "neg", "abs", "exp", "log", "sqrt", "rsqrt", "erf", "tanh", "sigmoid", "relu", "silu", "softplus" ->
                    ElementwiseSteps.unary(this, op, ch);
            case "gelu", "leaky_relu", "clip" -> ElementwiseSteps.activation(this, op, ch);
            case "add", "sub", "mul", "div", "pow" -> ElementwiseSteps.binary(this, op, ch);
            case "max", "min" -> {
                if (ch.flag()) ReductionSteps.reduce(this, op, ch);
                else ElementwiseSteps.binary(this, op, ch);
            }
            case "equal", "less", "greater" -> ElementwiseSteps.compare(this, op, ch);
            case "where" -> ElementwiseSteps.where(this, ch);
            case "matmul" -> LinalgSteps.matmul(this, ch);
            case "linear" -> LinalgSteps.linear(this, ch);
            case "sum", "mean" -> ReductionSteps.reduce(this, op, ch);
            case "argmax" -> ReductionSteps.argmax(this, ch);
            case "softmax", "log_softmax" -> ReductionSteps.softmax(this, op, ch);
            case "layer_norm" -> NormSteps.layerNorm(this, ch);
            case "rms_norm" -> NormSteps.rmsNorm(this, ch);
            case "batch_norm" -> NormSteps.batchNorm(this, ch);
            case "reshape" -> ShapeSteps.reshape(this, ch);
            case "transpose" -> ShapeSteps.transpose(this, ch);
            case "flatten" -> ShapeSteps.flatten(this, ch);
            case "concat" -> ShapeSteps.concat(this, ch);
            case "split" -> ShapeSteps.split(this, ch);
            case "slice" -> ShapeSteps.slice(this, ch);
            case "squeeze" -> ShapeSteps.squeeze(this, ch);
            case "unsqueeze" -> ShapeSteps.unsqueeze(this, ch);
            case "gather" -> ShapeSteps.gather(this, ch);
            case "embedding" -> ShapeSteps.embedding(this, ch);
            case "cast" -> ShapeSteps.cast(this, ch);
            case "conv2d" -> ConvSteps.conv2d(this, ch);
            case "max_pool2d", "avg_pool2d" -> ConvSteps.pool2d(this, op, ch);
            case "global_avg_pool" -> ConvSteps.globalAvgPool(this, ch);
            case "attention" -> AttentionSteps.attention(this, ch);
            default -> throw new IllegalArgumentException("no generator for op " + op);
        }
    }

    /** Every node output no node reads is a graph output; a graph without nodes returns its first input. */
    private Graph finish() {
        List<Value> outs = new ArrayList<>();
        for (Value v : nodeOutputs) {
            if (!consumed.contains(v.id())) outs.add(v);
        }
        if (outs.isEmpty()) outs.add(pool.getFirst());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) names.add("y" + i);
        return builder.build(outs, names);
    }

    private Map<String, Tensor> inputData(Graph graph) {
        Map<String, Long> env = recipe.dims();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (GraphInput in : graph.inputs()) {
            long[] shape = in.value().type().shape().stream().mapToLong(d -> d.evaluate(env)).toArray();
            TensorType concrete = TensorType.of(in.value().type().dtype(), shape);
            inputs.put(in.name(), TensorGens.sample(concrete, config.inputValues(), data.nextLong()));
        }
        return inputs;
    }

    // ---- what the op families use ----------------------------------------------------------------

    GraphConfig config() {
        return config;
    }

    /**
     * One of the values accepted by {@code ok}, or null when there is none. Half the time (and for
     * the simplest choice, 0) the most recent one, so that graphs are chains more often than fans
     * and rules that match a producer-consumer pair find one.
     */
    Value pick(Choices ch, Predicate<Value> ok) {
        List<Value> c = candidates(ok);
        if (c.isEmpty()) return null;
        int k = ch.below(2 * c.size());
        return c.get(k < c.size() ? k : 0);
    }

    /** The values accepted by {@code ok}, most recent first. */
    List<Value> candidates(Predicate<Value> ok) {
        List<Value> out = new ArrayList<>();
        for (int i = pool.size() - 1; i >= 0; i--) {
            if (ok.test(pool.get(i))) out.add(pool.get(i));
        }
        return out;
    }

    /**
     * Whether a value of this type stays within the limits for all dims within their bounds: rank
     * at most maxRank, every dim at least 1 with the named dims at their lower bounds, and at most
     * maxElements elements with them at their upper bounds. Sizes only grow with the named dims
     * (every op's size is a sum, product or floor quotient of them with non-negative coefficients,
     * or such a size minus a constant), so checking both ends covers the range.
     */
    boolean fits(TensorType t) {
        if (t.rank() > config.maxRank()) return false;
        long size = 1;
        for (Dim d : t.shape()) {
            if (lowest(d) < 1) return false;
            long hi = highest(d);
            if (hi > config.maxElements()) return false;
            size *= hi;
            if (size > config.maxElements()) return false;
        }
        return true;
    }

    /** The dim with the named dims at their lower bounds; -1 when it cannot be evaluated. */
    long lowest(Dim d) {
        return evaluate(d, lows);
    }

    /** The dim with the named dims at their upper bounds; Long.MAX_VALUE when it cannot be evaluated. */
    long highest(Dim d) {
        long v = evaluate(d, highs);
        return v < 0 ? Long.MAX_VALUE : v;
    }

    private static long evaluate(Dim d, Map<String, Long> env) {
        try {
            return d.evaluate(env);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** A named dim or a constant in {@code 1..maxConstant}: a dim for a new input. */
    Dim inputDim(Choices ch, int maxConstant, boolean allowBatch, boolean allowSequence) {
        if (config.symbolicDims()) {
            int k = ch.below(6);
            if (k == 4 && allowBatch) return Dim.var(BATCH);
            if (k == 5 && allowSequence) return Dim.var(SEQUENCE);
        }
        return Dim.of(ch.between(1, maxConstant));
    }

    /** {@code shape} with its largest dims replaced by 1 until it fits the limits. */
    private List<Dim> withinLimits(List<Dim> shape) {
        List<Dim> s = new ArrayList<>(shape.subList(0, Math.min(shape.size(), config.maxRank())));
        while (!fits(new TensorType(DType.F32, s))) {
            int largest = 0;
            for (int i = 1; i < s.size(); i++) {
                if (highest(s.get(i)) > highest(s.get(largest))) largest = i;
            }
            s.set(largest, Dim.of(1));
        }
        return s;
    }

    /** A new f32 graph input, or null when the shape does not fit the limits. */
    Value input(List<Dim> shape) {
        TensorType t = new TensorType(DType.F32, shape);
        if (!fits(t)) return null;
        Value v = builder.input("x" + inputCount++, t, Provenance.NONE);
        pool.add(v);
        return v;
    }

    /** A new param with data from {@link GraphConfig#paramValues()} (integers: -4..4). */
    Value param(TensorType t) {
        return param(t, config.paramValues());
    }

    Value param(TensorType t, ValueRange values) {
        String path = "p" + paramCount++;
        Tensor tensor = t.dtype().isInteger()
                ? TensorGens.sampleIntegers(t.dtype(), t.staticShape(), -4, 4, data.nextLong())
                : TensorGens.sample(t, values, data.nextLong());
        Value v = builder.param(path, t, provenance);
        paramData.put(path, tensor);
        // A linear weight is [O, I] even when maxRank is 1: it serves its op but is no operand for others.
        if (fits(t)) pool.add(v);
        return v;
    }

    /** A constant i64 tensor of {@code shape} with elements in {@code lo..hi}, for indices. */
    Value indices(long[] shape, long lo, long hi) {
        Value v = builder.constant(TensorGens.sampleIntegers(DType.I64, shape, lo, hi, data.nextLong()), provenance);
        nodeCount++;
        nodeOutputs.add(v);
        pool.add(v);
        return v;
    }

    /** Adds one op with a single result. */
    Value op1(String op, List<Value> inputs, Map<String, Object> attrs) {
        List<Value> outs = op(op, inputs, attrs);
        if (outs.size() != 1) throw new IllegalStateException(op + " gave " + outs.size() + " results");
        return outs.getFirst();
    }

    /** Adds one op; its results join the pool. */
    List<Value> op(String op, List<Value> inputs, Map<String, Object> attrs) {
        List<Value> outs;
        try {
            outs = builder.op(op, inputs, attrs, provenance);
        } catch (OpTypeException e) {
            throw bug(op, inputs, attrs, e.code() + " " + e.getMessage(), e);
        }
        for (Value v : outs) {
            if (!fits(v.type())) throw bug(op, inputs, attrs, "the result " + v.type() + " is outside the limits", null);
        }
        nodeCount++;
        for (Value v : inputs) {
            if (v != null) consumed.add(v.id());
        }
        nodeOutputs.addAll(outs);
        pool.addAll(outs);
        return outs;
    }

    private IllegalStateException bug(String op, List<Value> inputs, Map<String, Object> attrs, String problem, Throwable cause) {
        List<String> types = inputs.stream().map(v -> v == null ? "absent" : v.type().toString()).toList();
        return new IllegalStateException("generator bug at step " + provenance.instancePath() + " " + step + ": " + op + types + " "
                + attrs + ": " + problem + "\n" + recipe, cause);
    }
}
