package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for a lossy weight pass (quantize, sparsify) in tests: rounds a weight in place to
 * multiples of {@code step}, like round-to-nearest fake quantization, and keeps its shape and op.
 */
public final class RoundWeightsPass implements Pass {
    public static final PassInfo INFO = new PassInfo("round", "round a weight to multiples of step",
            List.of(new ArgInfo("step", ArgType.FLOAT, Allowed.Range.above(0), 0.5, "the grid step")),
            TargetKind.PARAM, "any float weight", List.of(), Set.of());

    @Override
    public PassInfo info() {
        return INFO;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        Graph g = graph;
        List<TargetReport> entries = new java.util.ArrayList<>();
        for (PlannedPass t : targets) {
            double step = (Double) t.arg("step");
            Param p = g.param(t.target());
            double[] v = p.data().toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] = Math.rint(v[i] / step) * step;
            Footprint f = Footprints.ofParam(g, t.target());
            g = g.withParamData(Map.of(t.target(), Tensor.fromDoubles(p.type().dtype(), p.data().shape(), v)));
            entries.add(TargetReport.applied(t, f, f, List.of(), Map.of()));
        }
        return new PassResult(g, entries, List.of());
    }

    /** The standard passes plus this one. */
    public static PassLibrary library() {
        List<Pass> passes = new java.util.ArrayList<>(PassLibrary.standard().passes());
        passes.add(new RoundWeightsPass());
        return new PassLibrary(passes);
    }
}
