package dev.lathe.testkit;

import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Ready-made properties of a rewrite (a rule, a pass, any {@code Graph -> Graph}), as checks for
 * QuickTheories' {@code checkAssert}. A failure is an {@link AssertionError} listing what changed
 * and printing the graph before and after; QuickTheories adds the shrunk {@link GraphCase}.
 *
 * <pre>{@code
 * qt().withFixedSeed(7).withExamples(500)
 *     .forAll(GraphGens.cases())
 *     .checkAssert(RewriteProperties.preservesOutputs(g -> MyRule.applyEverywhere(g)));
 * }</pre>
 */
public final class RewriteProperties {
    private RewriteProperties() {}

    /**
     * The rewritten graph passes {@link IrVerifier}, keeps every input (name and type) and every
     * output (name, order and type), and keeps its params bound.
     */
    public static Consumer<GraphCase> preservesTypes(Function<Graph, Graph> rewrite) {
        Objects.requireNonNull(rewrite, "rewrite");
        return c -> {
            Graph after = apply(rewrite, c.graph());
            List<String> problems = typeProblems(c.graph(), after);
            if (!problems.isEmpty()) throw new AssertionError(report("the rewrite changed the graph's interface", problems, c.graph(), after));
        };
    }

    /** {@link #preservesOutputs(Function, GraphRunner, Tolerance)} in the reference interpreter, within {@link Tolerance#DEFAULT}. */
    public static Consumer<GraphCase> preservesOutputs(Function<Graph, Graph> rewrite) {
        return preservesOutputs(rewrite, GraphRunner.INTERPRETER, Tolerance.DEFAULT);
    }

    /**
     * {@link #preservesTypes} and, on the case's inputs, outputs that agree with the original
     * graph's within {@code tolerance} (both graphs run by {@code runner}). For lossless rewrites;
     * a lossy one is checked against its own bound instead.
     */
    public static Consumer<GraphCase> preservesOutputs(Function<Graph, Graph> rewrite, GraphRunner runner, Tolerance tolerance) {
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(tolerance, "tolerance");
        return c -> {
            Graph after = apply(rewrite, c.graph());
            List<String> problems = typeProblems(c.graph(), after);
            if (!problems.isEmpty()) throw new AssertionError(report("the rewrite changed the graph's interface", problems, c.graph(), after));
            Map<String, Tensor> expected = runner.run(c.graph(), c.inputs());
            Map<String, Tensor> actual;
            try {
                actual = runner.run(after, c.inputs());
            } catch (RuntimeException e) {
                throw new AssertionError(report("the rewritten graph failed to run: " + e, List.of(), c.graph(), after), e);
            }
            List<String> diffs = TensorAssertions.differences(expected, actual, tolerance);
            if (!diffs.isEmpty()) throw new AssertionError(report("the rewrite changed the outputs (" + tolerance + ")", diffs, c.graph(), after));
        };
    }

    /**
     * What a rewrite broke in the graph's interface: verifier violations of {@code after}, inputs
     * or outputs added, dropped, reordered (outputs) or retyped, params left unbound. Empty when
     * nothing is. For properties of one's own.
     */
    public static List<String> typeProblems(Graph before, Graph after) {
        List<String> out = new ArrayList<>();
        for (String v : IrVerifier.verify(after)) out.add("verifier: " + v);
        Map<String, TensorType> inBefore = inputTypes(before);
        Map<String, TensorType> inAfter = inputTypes(after);
        if (!inBefore.equals(inAfter)) out.add("inputs " + inAfter + ", were " + inBefore);
        List<String> outBefore = outputs(before);
        List<String> outAfter = outputs(after);
        if (!outBefore.equals(outAfter)) out.add("outputs " + outAfter + ", were " + outBefore);
        if (before.isBound() && !after.isBound()) {
            out.add("params without data: " + after.params().stream().filter(p -> !p.isBound()).map(p -> p.path()).toList());
        }
        return out;
    }

    private static Graph apply(Function<Graph, Graph> rewrite, Graph before) {
        Graph after = rewrite.apply(before);
        if (after == null) throw new AssertionError("the rewrite returned null for\n" + IrPrinter.print(before));
        return after;
    }

    private static Map<String, TensorType> inputTypes(Graph g) {
        Map<String, TensorType> m = new LinkedHashMap<>();
        for (GraphInput in : g.inputs()) m.put(in.name(), in.value().type());
        return m;
    }

    private static List<String> outputs(Graph g) {
        return g.outputs().stream().map((GraphOutput o) -> o.name() + ": " + o.value().type()).toList();
    }

    private static String report(String headline, List<String> details, Graph before, Graph after) {
        StringBuilder sb = new StringBuilder(headline).append('\n');
        for (String d : details) sb.append("  ").append(d).append('\n');
        sb.append("--- before\n").append(IrPrinter.print(before));
        sb.append("--- after\n").append(IrPrinter.print(after));
        return sb.toString();
    }
}
