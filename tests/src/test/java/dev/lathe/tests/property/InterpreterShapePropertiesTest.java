package dev.lathe.tests.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.GraphCase;
import dev.lathe.testkit.GraphConfig;
import dev.lathe.testkit.GraphGens;
import dev.lathe.testkit.OpSets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interpreter agrees with the typing rules: on random well-typed graphs and inputs, every
 * output has the dtype of its IR type and the shape of that type evaluated with the case's dims.
 * Fixed seeds keep CI reproducible; a failure prints the shrunk graph, its inputs and its recipe.
 */
class InterpreterShapePropertiesTest {
    /** Enough to shrink a failing graph to a few nodes without letting a failing run take minutes. */
    private static final int SHRINK_CYCLES = 2_000;

    @Test
    void outputsHaveTheInferredShapesAndDtypes() {
        check(GraphConfig.defaults(), 20260101L, 500);
    }

    @Test
    void staticGraphsWithLongerChains() {
        check(GraphConfig.defaults().withSymbolicDims(false).withMaxNodes(20).withMaxInputs(3), 20260102L, 300);
    }

    @Test
    void symbolicImageAndSequenceGraphs() {
        GraphConfig config = GraphConfig.defaults().withMaxNodes(12)
                .withOps(OpSets.union(OpSets.CONVOLUTION, OpSets.ATTENTION, OpSets.SHAPE, OpSets.NORMALIZATION, OpSets.REDUCTIONS));
        check(config, 20260103L, 300);
    }

    @Test
    void integerAndBoolValues() {
        GraphConfig config = GraphConfig.defaults().withMaxNodes(12)
                .withOps("cast", "argmax", "add", "sub", "mul", "max", "min", "neg", "abs", "relu", "clip", "equal", "less", "greater",
                        "where", "sum", "concat", "split", "slice", "gather", "transpose", "reshape");
        check(config, 20260104L, 300);
    }

    private static void check(GraphConfig config, long seed, int examples) {
        qt().withFixedSeed(seed).withExamples(examples).withShrinkCycles(SHRINK_CYCLES).forAll(GraphGens.cases(config))
                .checkAssert(InterpreterShapePropertiesTest::outputsMatchTheirTypes);
    }

    private static void outputsMatchTheirTypes(GraphCase c) {
        Map<String, Tensor> outputs = Interpreter.run(c.graph(), c.inputs());
        List<String> names = c.graph().outputs().stream().map(GraphOutput::name).toList();
        assertEquals(names, List.copyOf(outputs.keySet()), "output names, in order");
        for (GraphOutput o : c.graph().outputs()) {
            TensorType type = o.value().type();
            Tensor t = outputs.get(o.name());
            assertEquals(type.dtype(), t.dtype(), () -> o.name() + ": dtype of " + type);
            assertArrayEquals(c.shapeOf(type), t.shape(), () -> o.name() + ": shape of " + type + " with " + c.dims());
        }
    }
}
