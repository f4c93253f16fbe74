package dev.lathe.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GraphGensTest {
    private static final int SAMPLES = 500;

    @Test
    void everyGeneratedGraphPassesTheVerifierAndIsBound() {
        for (GraphConfig config : List.of(GraphConfig.defaults(), GraphConfig.defaults().withSymbolicDims(false).withMaxNodes(16),
                GraphConfig.defaults().withOps(OpSets.union(OpSets.CONVOLUTION, OpSets.ATTENTION, OpSets.SHAPE)))) {
            qt().withFixedSeed(11).withExamples(SAMPLES).forAll(GraphGens.cases(config)).checkAssert(c -> {
                assertEquals(List.of(), IrVerifier.verify(c.graph()));
                assertTrue(c.graph().isBound(), "every param has data");
            });
        }
    }

    @Test
    void inputsFitTheGraphWithDimsWithinTheirBounds() {
        qt().withFixedSeed(12).withExamples(SAMPLES).forAll(GraphGens.cases()).checkAssert(c -> {
            for (Map.Entry<String, DimBounds> d : c.graph().dims().entrySet()) {
                assertTrue(d.getValue().contains(c.dims().get(d.getKey())), d.getKey() + " = " + c.dims().get(d.getKey()));
            }
            assertEquals(c.graph().inputs().stream().map(GraphInput::name).toList(), List.copyOf(c.inputs().keySet()));
            for (GraphInput in : c.graph().inputs()) {
                Tensor t = c.inputs().get(in.name());
                assertEquals(in.value().type().dtype(), t.dtype());
                assertArrayEquals(c.shapeOf(in.value().type()), t.shape(), in.name());
            }
        });
    }

    @Test
    void valuesStayWithinTheConfiguredLimits() {
        GraphConfig config = GraphConfig.defaults().withMaxNodes(12).withMaxRank(3).withMaxDim(3).withMaxElements(64);
        qt().withFixedSeed(13).withExamples(SAMPLES).forAll(GraphGens.cases(config)).checkAssert(c -> {
            // A step may add two helper nodes before the one that crosses the limit.
            assertTrue(c.graph().nodes().size() <= config.maxNodes() + 2, "nodes: " + c.graph().nodes().size());
            for (Node n : c.graph().nodes()) {
                for (Value v : n.outputs()) {
                    assertTrue(v.type().rank() <= config.maxRank(), v.type().toString());
                    long size = 1;
                    for (long d : c.shapeOf(v.type())) size *= d;
                    assertTrue(size >= 1 && size <= config.maxElements(), v.type() + " has " + size + " elements");
                }
            }
        });
    }

    @Test
    void withoutSymbolicDimsEveryTypeIsStatic() {
        GraphConfig config = GraphConfig.defaults().withSymbolicDims(false);
        qt().withFixedSeed(14).withExamples(200).forAll(GraphGens.cases(config)).checkAssert(c -> {
            assertTrue(c.graph().dims().isEmpty());
            for (Node n : c.graph().nodes()) {
                for (Value v : n.outputs()) assertTrue(v.type().isStatic(), v.type().toString());
            }
        });
    }

    @Test
    void symbolicDimsAppearWhenAllowed() {
        List<Boolean> symbolic = new ArrayList<>();
        qt().withFixedSeed(15).withExamples(200).forAll(GraphGens.cases()).checkAssert(c ->
                symbolic.add(c.graph().inputs().stream().anyMatch(in -> !in.value().type().isStatic())));
        assertTrue(symbolic.stream().filter(b -> b).count() > symbolic.size() / 10, "graphs with a symbolic input: " + symbolic);
    }

    @Test
    void everyOpOfTheDefaultSetIsGenerated() {
        Set<String> seen = new TreeSet<>();
        qt().withFixedSeed(16).withExamples(SAMPLES).forAll(GraphGens.cases()).checkAssert(c -> {
            for (Node n : c.graph().nodes()) seen.add(opOf(n));
        });
        Set<String> missing = new TreeSet<>(OpSets.ALL);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing);
    }

    @Test
    void onlyTheChosenOpsAndTheirHelpersAppear() {
        GraphConfig config = GraphConfig.defaults().withOps("where", "relu");
        qt().withFixedSeed(17).withExamples(200).forAll(GraphGens.cases(config)).checkAssert(c -> {
            for (Node n : c.graph().nodes()) {
                assertTrue(Set.of("where", "relu", "less", "equal").contains(n.opName()), n.opName());
            }
        });
    }

    @Test
    void generationIsDeterministicForAFixedSeed() {
        assertEquals(sample(21), sample(21));
        assertNotEquals(sample(21), sample(22));
    }

    @Test
    void assemblingARecipeAgainGivesAnEqualCase() {
        GraphConfig config = GraphConfig.defaults();
        qt().withFixedSeed(23).withExamples(200).forAll(GraphGens.recipes(config)).checkAssert(r -> {
            GraphCase a = GraphGens.assemble(r, config);
            GraphCase b = GraphGens.assemble(r, config);
            assertEquals(a.graph(), b.graph());
            assertEquals(a.inputs(), b.inputs());
            assertEquals(a.toString(), b.toString());
        });
    }

    /** A property that fails on graphs with a softmax shrinks to a graph of that one node. */
    @Test
    void failingGraphsShrinkToTheOpThatFails() {
        List<Integer> failingSizes = new ArrayList<>();
        AssertionError e = assertThrows(AssertionError.class, () -> qt().withFixedSeed(24).withExamples(SAMPLES).withShrinkCycles(2000)
                .forAll(GraphGens.cases()).checkAssert(c -> {
                    if (c.graph().nodes().stream().anyMatch(n -> n.opName().equals("softmax"))) {
                        failingSizes.add(c.graph().nodes().size());
                        throw new AssertionError("has a softmax");
                    }
                }));
        assertTrue(e.getMessage().contains("softmax("), e.getMessage());
        assertFalse(failingSizes.isEmpty());
        assertEquals(1, failingSizes.stream().mapToInt(Integer::intValue).min().orElseThrow(), "smallest failing graph, of " + failingSizes);
    }

    @Test
    void theDescriptionShowsTheIrAndTheRecipe() {
        GraphRecipe recipe = new GraphRecipe(5, Map.of("B", 2L, "S", 3L), List.of(List.of(Dim.var("B"), Dim.of(4))),
                List.of(new GraphRecipe.Step("relu", List.of(0, 0, 0, 0, 0, 0, 0, 0)), new GraphRecipe.Step(GraphRecipe.Step.SKIP, List.of(0))));
        GraphCase c = GraphGens.assemble(recipe, GraphConfig.defaults());
        String text = c.toString();
        assertTrue(text.contains("input %0 x0: f32[B, 4]"), text);
        assertTrue(text.contains("= relu(%0)"), text);
        assertTrue(text.contains("dims {B=2, S=3}"), text);
        assertTrue(text.contains("steps=[relu(0,0,0,0,0,0,0,0), skip]"), text);
        assertArrayEquals(new long[] {2, 4}, c.inputs().get("x0").shape());
    }

    @Test
    void aRecipeWithAnUndeclaredDimIsRejected() {
        GraphRecipe recipe = new GraphRecipe(5, Map.of(), List.of(List.of(Dim.var("B"))), List.of());
        assertThrows(IllegalArgumentException.class, () -> GraphGens.assemble(recipe, GraphConfig.defaults().withSymbolicDims(false)));
    }

    private static List<String> sample(long seed) {
        List<String> out = new ArrayList<>();
        qt().withFixedSeed(seed).withExamples(100).forAll(GraphGens.cases()).checkAssert(c -> out.add(c.toString()));
        return out;
    }

    /** The std/ops.model name a node was written as: max and min reductions count as max and min. */
    private static String opOf(Node n) {
        return switch (n) {
            case Node.Reduce r -> r.kind().opName();
            default -> n.opName();
        };
    }
}
