package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The random choices one generated graph is built from: what QuickTheories draws and shrinks.
 * {@link GraphGens#assemble} turns a recipe into a graph deterministically, and every recipe gives
 * a well-typed graph, so shrinking a recipe (fewer steps, skipped steps, smaller choices) always
 * gives a smaller graph to report.
 *
 * @param seed   seeds the data of params, constants and inputs (data do not shrink: a failing
 *               property shrinks the graph's structure)
 * @param dims   run-time values of the named dims ({@code B}, {@code S}), within their bounds
 * @param inputs shapes of the graph inputs drawn up front
 * @param steps  one op each, in order; {@link Step#SKIP} steps add nothing
 */
public record GraphRecipe(long seed, Map<String, Long> dims, List<List<Dim>> inputs, List<Step> steps) {
    public GraphRecipe {
        // Sorted, so that printing (and the dims of a GraphCase) do not depend on hash order.
        dims = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dims));
        inputs = inputs.stream().map(List::copyOf).toList();
        steps = List.copyOf(steps);
    }

    /**
     * One op of the recipe: which primitive, and small non-negative numbers from which the op's
     * operands (among the values built so far, most recent first) and attributes are chosen. All
     * zeros is the simplest form: the latest fitting operand, default attributes.
     */
    public record Step(String op, List<Integer> choices) {
        /** The op name of a step that adds nothing; steps shrink to it, which deletes ops from the middle of a graph. */
        public static final String SKIP = "skip";

        public Step {
            java.util.Objects.requireNonNull(op, "op");
            choices = List.copyOf(choices);
            if (!op.equals(SKIP) && choices.isEmpty()) throw new IllegalArgumentException("step " + op + " has no choices");
            for (int c : choices) {
                if (c < 0) throw new IllegalArgumentException("step " + op + " has the negative choice " + c);
            }
        }

        @Override
        public String toString() {
            return op.equals(SKIP) ? SKIP : op + choices.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
        }
    }

    @Override
    public String toString() {
        String shapes = inputs.stream().map(s -> s.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]")))
                .collect(Collectors.joining(", "));
        String named = dims.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return "recipe seed=" + seed + " dims=" + named + " inputs=" + shapes + " steps=" + steps;
    }
}
