package dev.lathe.testkit;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named sets of the primitive ops (std/ops.model names) that {@link GraphGens} can generate, for
 * {@link GraphConfig#withOps}. A rule that matches {@code linear} followed by {@code relu} is best
 * tested with a small set that contains both, so that generated graphs hit its pattern often.
 * {@code max} and {@code min} stand for both their elementwise and their reduction forms.
 */
public final class OpSets {
    public static final Set<String> UNARY = of("neg", "abs", "exp", "log", "sqrt", "rsqrt", "erf", "tanh", "sigmoid", "relu", "silu",
            "softplus", "gelu", "leaky_relu", "clip");
    public static final Set<String> BINARY = of("add", "sub", "mul", "div", "pow", "max", "min");
    public static final Set<String> COMPARISON = of("equal", "less", "greater", "where");
    public static final Set<String> ELEMENTWISE = union(UNARY, BINARY, COMPARISON);
    public static final Set<String> LINEAR_ALGEBRA = of("matmul", "linear");
    public static final Set<String> REDUCTIONS = of("sum", "mean", "max", "min", "argmax", "softmax", "log_softmax");
    public static final Set<String> NORMALIZATION = of("layer_norm", "rms_norm", "batch_norm");
    public static final Set<String> SHAPE = of("reshape", "transpose", "flatten", "concat", "split", "slice", "squeeze", "unsqueeze",
            "gather", "embedding", "cast");
    public static final Set<String> CONVOLUTION = of("conv2d", "max_pool2d", "avg_pool2d", "global_avg_pool");
    public static final Set<String> ATTENTION = of("attention");

    /** Every primitive of std/ops.model. */
    public static final Set<String> ALL = union(ELEMENTWISE, LINEAR_ALGEBRA, REDUCTIONS, NORMALIZATION, SHAPE, CONVOLUTION, ATTENTION);

    /**
     * {@link #ALL} without the ops that give NaN or infinity on part of their domain ({@code log},
     * {@code sqrt}, {@code rsqrt}, {@code div}, {@code pow}): outputs then stay finite for the
     * default value ranges, except where a long chain of {@code exp} overflows.
     */
    public static final Set<String> TOTAL = minus(ALL, of("log", "sqrt", "rsqrt", "div", "pow"));

    private OpSets() {}

    /** The given op names, checked against {@link #ALL} once it exists. */
    public static Set<String> of(String... names) {
        Set<String> set = new LinkedHashSet<>(Arrays.asList(names));
        if (ALL != null && !ALL.containsAll(set)) {
            Set<String> unknown = new TreeSet<>(set);
            unknown.removeAll(ALL);
            throw new IllegalArgumentException("not primitive ops: " + unknown + " (known: " + ALL + ")");
        }
        return java.util.Collections.unmodifiableSet(set);
    }

    @SafeVarargs
    public static Set<String> union(Set<String>... sets) {
        Set<String> out = new LinkedHashSet<>();
        for (Set<String> s : sets) out.addAll(s);
        return java.util.Collections.unmodifiableSet(out);
    }

    public static Set<String> minus(Set<String> set, Collection<String> removed) {
        Set<String> out = new LinkedHashSet<>(set);
        out.removeAll(removed);
        return java.util.Collections.unmodifiableSet(out);
    }

    /** {@code ops} in the order of {@link #ALL}, so that a config's op indices do not depend on how its set was built. */
    static List<String> canonicalOrder(Set<String> ops) {
        return ALL.stream().filter(ops::contains).toList();
    }
}
