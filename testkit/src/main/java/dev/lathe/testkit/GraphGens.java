package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators of random well-typed graphs, for property tests of passes and rewrite
 * rules. A graph is built through {@link dev.lathe.ir.GraphBuilder} from a {@link GraphRecipe}: a
 * few inputs (static shapes, or using the named dims {@code B} and {@code S} with declared bounds),
 * then a sequence of ops drawn from {@link GraphConfig#ops()}, each taking operands of fitting types
 * among the values built so far or making fitting ones (a param of the right shape, a new input).
 * Every node output that nothing reads is a graph output. Every generated graph passes
 * {@link dev.lathe.ir.IrVerifier}, has all its params bound to random data, and runs in the
 * interpreter for every value of its named dims within their bounds.
 *
 * <p>Shrinking works on the recipe: QuickTheories lowers the number of steps, turns steps into
 * {@link GraphRecipe.Step#SKIP}, makes inputs smaller and static, and lowers choice numbers (the
 * simplest picks the most recent fitting operand), so a failing property ends with a small graph.
 * A recipe draws a fixed number of values per input and per step, so shrinking one step leaves
 * the others as they were.
 *
 * <pre>{@code
 * qt().withFixedSeed(1).withExamples(300)
 *     .forAll(GraphGens.cases(GraphConfig.defaults().withOps(OpSets.ELEMENTWISE)))
 *     .checkAssert(RewriteProperties.preservesOutputs(MyPass::run));
 * }</pre>
 */
public final class GraphGens {
    /** Choice numbers drawn per step. */
    public static final int CHOICES_PER_STEP = 8;
    /** Choice numbers lie in {@code 0..MAX_CHOICE}. */
    public static final int MAX_CHOICE = 255;

    private GraphGens() {}

    /** Cases of {@link GraphConfig#defaults()}. */
    public static Gen<GraphCase> cases() {
        return cases(GraphConfig.defaults());
    }

    /** Bound graphs with matching inputs, described by {@link GraphCase#toString()}. */
    public static Gen<GraphCase> cases(GraphConfig config) {
        return recipes(config).map(r -> assemble(r, config)).describedAs(GraphCase::toString);
    }

    /** Bound graphs alone, described by their printed IR. */
    public static Gen<Graph> graphs(GraphConfig config) {
        return cases(config).map(GraphCase::graph).describedAs(IrPrinter::print);
    }

    /** The graph of a recipe, with its inputs: deterministic, equal recipes give equal cases. */
    public static GraphCase assemble(GraphRecipe recipe, GraphConfig config) {
        return GraphAssembler.assemble(recipe, config);
    }

    /** The recipes {@link #cases(GraphConfig)} builds from. */
    public static Gen<GraphRecipe> recipes(GraphConfig config) {
        List<String> ops = config.opList();
        long[] batch = config.batchBounds();
        long[] sequence = config.sequenceBounds();
        Gen<Long> seeds = Generate.longRange(0, 1L << 40, 0);
        Gen<Long> batchValues = Generate.longRange(batch[0], batch[1], batch[0]);
        Gen<Long> sequenceValues = Generate.longRange(sequence[0], sequence[1], sequence[0]);
        Gen<Integer> inputCounts = Generate.range(1, config.maxInputs(), 1);
        Gen<Integer> ranks = Generate.range(1, config.maxRank(), 1);
        Gen<Integer> sizes = Generate.range(1, config.maxDim(), 1);
        // 0..3 static, 4 the batch dim, 5 the sequence dim: a third of the dims are named.
        Gen<Integer> dimKinds = Generate.range(0, 5, 0);
        Gen<Integer> stepCounts = Generate.range(0, config.maxNodes(), 0);
        // 0 is a skipped step, so that shrinking can delete a step in the middle.
        Gen<Integer> opIndices = Generate.range(0, ops.size(), 0);
        Gen<Integer> choices = Generate.range(0, MAX_CHOICE, 0);
        Gen<GraphRecipe> gen = in -> {
            long seed = seeds.generate(in);
            Map<String, Long> dims = new TreeMap<>();
            if (config.symbolicDims()) {
                dims.put(GraphAssembler.BATCH, batchValues.generate(in));
                dims.put(GraphAssembler.SEQUENCE, sequenceValues.generate(in));
            }
            int inputCount = inputCounts.generate(in);
            List<List<Dim>> inputs = new ArrayList<>();
            // Every input slot and every dim slot is drawn, used or not, so that shrinking a count
            // or a rank does not shift the draws after it.
            for (int i = 0; i < config.maxInputs(); i++) {
                int rank = ranks.generate(in);
                List<Dim> shape = new ArrayList<>();
                for (int j = 0; j < config.maxRank(); j++) {
                    int size = sizes.generate(in);
                    int kind = dimKinds.generate(in);
                    Dim d = !config.symbolicDims() || kind < 4 ? Dim.of(size) : Dim.var(kind == 4 ? GraphAssembler.BATCH : GraphAssembler.SEQUENCE);
                    if (j < rank) shape.add(d);
                }
                if (i < inputCount) inputs.add(shape);
            }
            int stepCount = stepCounts.generate(in);
            List<GraphRecipe.Step> steps = new ArrayList<>();
            for (int s = 0; s < stepCount; s++) {
                int op = opIndices.generate(in);
                List<Integer> picks = new ArrayList<>();
                for (int c = 0; c < CHOICES_PER_STEP; c++) picks.add(choices.generate(in));
                steps.add(new GraphRecipe.Step(op == 0 ? GraphRecipe.Step.SKIP : ops.get(op - 1), picks));
            }
            return new GraphRecipe(seed, dims, inputs, steps);
        };
        return gen.describedAs(GraphRecipe::toString);
    }
}
