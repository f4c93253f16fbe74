package dev.lathe.testkit;

import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Set;

/**
 * The size and content of the graphs {@link GraphGens} generates. Immutable; change it with the
 * {@code with...} methods, starting from {@link #defaults()}.
 *
 * @param maxNodes      most ops drawn for a graph. A step may add up to two helper nodes (a
 *                      {@code less} giving the condition of a {@code where}, an {@code abs} keeping
 *                      {@code log} in its domain, a {@code transpose} giving a {@code matmul} its
 *                      second operand), and generation stops once the graph has this many nodes
 * @param maxInputs     most graph inputs drawn up front; an op that finds no operand of the form it
 *                      needs (conv2d wants [N, C, H, W]) adds one more input of that form
 * @param maxRank       largest rank of any input and op result (1..8); ops needing a higher rank
 *                      are left out. Weights keep the rank their op needs ([O, I] for linear)
 * @param maxDim        largest static dim of a drawn input or param; ops may make larger dims (concat)
 * @param maxElements   largest size of any value, evaluated with the named dims at their upper bounds;
 *                      a step whose result would be larger is left out
 * @param ops           the primitives to draw ({@link OpSets}); ops outside it may still appear as
 *                      helper nodes
 * @param symbolicDims  whether inputs may use the named dims {@code B} (in {@code 1..maxDim}) and
 *                      {@code S} (in {@code 2..maxDim + 2}), declared on the graph with those bounds
 * @param inputValues   float elements of generated inputs
 * @param paramValues   float elements of generated params (variances of batch_norm stay positive)
 */
public record GraphConfig(int maxNodes, int maxInputs, int maxRank, int maxDim, int maxElements, Set<String> ops,
                          boolean symbolicDims, ValueRange inputValues, ValueRange paramValues) {
    public GraphConfig {
        if (maxNodes < 0) throw new IllegalArgumentException("maxNodes " + maxNodes + " is negative");
        if (maxInputs < 1) throw new IllegalArgumentException("maxInputs " + maxInputs + " is below 1");
        if (maxRank < 1 || maxRank > Tensor.MAX_RANK) throw new IllegalArgumentException("maxRank " + maxRank + " is not within 1.." + Tensor.MAX_RANK);
        if (maxDim < 1) throw new IllegalArgumentException("maxDim " + maxDim + " is below 1");
        if (maxElements < 1) throw new IllegalArgumentException("maxElements " + maxElements + " is below 1");
        ops = OpSets.of(ops.toArray(String[]::new));
        if (ops.isEmpty()) throw new IllegalArgumentException("the op set is empty");
        java.util.Objects.requireNonNull(inputValues, "inputValues");
        java.util.Objects.requireNonNull(paramValues, "paramValues");
    }

    /**
     * Up to 8 ops over up to 2 inputs of rank up to 4 with dims up to 4, values of at most 512
     * elements, every op, symbolic dims allowed: graphs that run in the interpreter in about a
     * millisecond.
     */
    public static GraphConfig defaults() {
        return new GraphConfig(8, 2, 4, 4, 512, OpSets.ALL, true, ValueRange.DEFAULT, ValueRange.of(-1, 1));
    }

    public GraphConfig withMaxNodes(int n) {
        return new GraphConfig(n, maxInputs, maxRank, maxDim, maxElements, ops, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withMaxInputs(int n) {
        return new GraphConfig(maxNodes, n, maxRank, maxDim, maxElements, ops, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withMaxRank(int n) {
        return new GraphConfig(maxNodes, maxInputs, n, maxDim, maxElements, ops, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withMaxDim(int n) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, n, maxElements, ops, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withMaxElements(int n) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, maxDim, n, ops, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withOps(Set<String> set) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, maxDim, maxElements, set, symbolicDims, inputValues, paramValues);
    }

    public GraphConfig withOps(String... names) {
        return withOps(OpSets.of(names));
    }

    public GraphConfig withSymbolicDims(boolean allowed) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, maxDim, maxElements, ops, allowed, inputValues, paramValues);
    }

    public GraphConfig withInputValues(ValueRange values) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, maxDim, maxElements, ops, symbolicDims, values, paramValues);
    }

    public GraphConfig withParamValues(ValueRange values) {
        return new GraphConfig(maxNodes, maxInputs, maxRank, maxDim, maxElements, ops, symbolicDims, inputValues, values);
    }

    /** The ops in a fixed order: a recipe's op choice indexes this list. */
    List<String> opList() {
        return OpSets.canonicalOrder(ops);
    }

    /** Inclusive bounds of the named dim {@code B}. */
    long[] batchBounds() {
        return new long[] {1, maxDim};
    }

    /** Inclusive bounds of the named dim {@code S}; at least 2, so slicing one element off stays non-empty. */
    long[] sequenceBounds() {
        return new long[] {2, maxDim + 2L};
    }
}
