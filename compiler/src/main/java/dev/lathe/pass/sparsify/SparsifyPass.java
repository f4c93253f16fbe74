package dev.lathe.pass.sparsify;

import dev.lathe.ir.Costs;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.SparseFormat;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.SparseCostModel;
import dev.lathe.pass.Allowed;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.Footprint;
import dev.lathe.pass.Footprints;
import dev.lathe.pass.GraphEdits;
import dev.lathe.pass.Pass;
import dev.lathe.pass.PassContext;
import dev.lathe.pass.PassInfo;
import dev.lathe.pass.PassRegistry;
import dev.lathe.pass.PassResult;
import dev.lathe.pass.PlannedPass;
import dev.lathe.pass.RewriteDriver;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetOutcome;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sparsify} (LANGUAGE.md §7): magnitude pruning of a linear weight W [out, in], rewritten by
 * {@link SparsifyLinear} into a {@code sparse_linear} over the stored parts. Per target:
 * <ol>
 *   <li>The weight must still be in the graph, be a float [out, in] and be used only as the weight
 *       of {@code linear}; otherwise the target is skipped, precondition failed.</li>
 *   <li>The mask comes from {@link Pruning}: {@code unstructured} keeps exactly N - floor(s N)
 *       entries (CSR), {@code "N:M"} keeps N of every aligned group of M inputs in each row (N:M
 *       storage; needs M dividing in), {@code block} keeps nb - floor(s nb) of the [r, c] blocks by
 *       Frobenius norm (BSR; needs the blocks to tile W). Ties keep the lower index.</li>
 *   <li>The parts replace the weight as params {@code <path>.values}, {@code <path>.indices} and
 *       (CSR, BSR) {@code <path>.pointers}, in the weight's place in the param list. The kept values
 *       are the weight's own, unrounded, so the layer equals linear with the masked weight exactly.</li>
 * </ol>
 *
 * <p>The certificate is the pruned Frobenius mass {@code ||W - W_pruned||_F} (exact) and its ratio to
 * {@code ||W||_F}; the details give the sparsity achieved and the stored count.
 *
 * <p>The detail {@code kernel} is {@link SparseCostModel}'s choice for the JVM backend, from the rows x
 * can have (a constant, or a dim's declared bounds): sparse, "kept dense" (the GEMM over the masked
 * weight, when sparse would be slower) or by rows per call, each with the estimate that decided it.
 * The graph holds the sparse parts either way; the JVM lowering makes the same choice.
 */
public final class SparsifyPass implements Pass {
    public static final String NAME = "sparsify";
    public static final String VALUES_SUFFIX = ".values";
    public static final String INDICES_SUFFIX = ".indices";
    public static final String POINTERS_SUFFIX = ".pointers";

    private static final PassInfo INFO = PassRegistry.standard().lookup(NAME).orElseThrow();

    @Override
    public PassInfo info() {
        return INFO;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        return TargetOutcome.runEach(graph, targets, SparsifyPass::prune);
    }

    private static TargetOutcome prune(Graph g, PlannedPass planned) {
        String path = planned.target();
        if (!GraphEdits.hasParam(g, path)) {
            String why = GraphEdits.hasParam(g, path + VALUES_SUFFIX) ? "already sparse (" + path + VALUES_SUFFIX + "); a pruned weight is not pruned again"
                    : "the graph no longer has this param (an earlier pass replaced it)";
            return TargetOutcome.skipped(g, planned, SkipReason.precondition(why), Footprint.ZERO, Map.of());
        }
        Param p = g.param(path);
        Footprint before = Footprints.ofParam(g, path);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("shape", p.type().toString());
        TensorType t = p.type();
        if (!t.dtype().isFloating() || t.rank() != 2 || !t.isStatic()) {
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("sparse_linear needs a float weight [out, in] of a linear layer, got " + t),
                    before, details);
        }
        List<Node> users = GraphEdits.users(g, p.value());
        if (users.isEmpty() || GraphEdits.isOutput(g, p.value())
                || !users.stream().allMatch(n -> n instanceof Node.Linear l && l.w().equals(p.value()) && !l.x().equals(p.value()))) {
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("this version prunes weights used only as the weight of linear; "
                    + (users.isEmpty() ? "it has no use" : "it is used by " + users.stream().map(Node::opName).distinct().toList())), before, details);
        }
        for (String suffix : List.of(VALUES_SUFFIX, INDICES_SUFFIX, POINTERS_SUFFIX)) {
            if (GraphEdits.hasParam(g, path + suffix)) {
                return TargetOutcome.skipped(g, planned, SkipReason.precondition("the graph already has a param " + path + suffix), before, details);
            }
        }
        int rows = (int) t.staticShape()[0];
        int cols = (int) t.staticShape()[1];
        double[] w = p.data().toDoubleArray();
        String pattern = (String) planned.arg("pattern");
        SparseFormat format;
        boolean[] mask;
        if (pattern.equals("unstructured")) {
            format = SparseFormat.csr(rows, cols);
            mask = Pruning.unstructured(w, (Double) planned.arg("sparsity"));
        } else if (pattern.equals("block")) {
            @SuppressWarnings("unchecked")
            List<Long> block = (List<Long>) planned.arg("block");
            int br = Math.toIntExact(block.get(0)), bc = Math.toIntExact(block.get(1));
            if (rows % br != 0 || cols % bc != 0) {
                return TargetOutcome.skipped(g, planned, SkipReason.precondition("blocks " + br + "x" + bc + " do not tile the weight " + t), before, details);
            }
            format = SparseFormat.bsr(rows, cols, br, bc);
            mask = Pruning.blocks(w, rows, cols, br, bc, (Double) planned.arg("sparsity"));
        } else {
            long[] nm = Allowed.NOfM.parse(pattern);
            if (nm[1] > cols || cols % nm[1] != 0) {
                return TargetOutcome.skipped(g, planned, SkipReason.precondition(pattern + " needs the input dim " + cols + " divisible by " + nm[1]), before,
                        details);
            }
            int n = (int) nm[0], m = (int) nm[1];
            format = SparseFormat.nm(rows, cols, n, m);
            mask = Pruning.nOfM(w, rows, cols, n, m);
        }
        DType dtype = t.dtype();
        SparseStorage stored = SparseStorage.of(format, dtype, w, mask);
        int kept = Pruning.count(mask);
        details.put("format", format.toString());
        details.put("stored", (long) kept);
        details.put("sparsity achieved", String.format(Locale.ROOT, "%.4f", 1 - (double) kept / w.length));
        double mass = Pruning.prunedMass(w, mask);
        double norm = Pruning.prunedMass(w, new boolean[w.length]);
        List<ErrorBound> certificate = List.of(
                ErrorBound.equal("||W - W_pruned||_F", mass, "the pruned Frobenius mass: sqrt of the sum of the pruned weights' squares"),
                ErrorBound.equal("||W - W_pruned||_F / ||W||_F", norm == 0 ? 0 : mass / norm, "relative"));
        SparseCostModel.Choice choice = choice(g, users, format, stored.values().size());
        details.put("kernel", choice.reason());
        int id = GraphEdits.nextValueId(g);
        List<Param> parts = new ArrayList<>();
        Param values = part(path + VALUES_SUFFIX, id, stored.values(), p);
        Param indices = part(path + INDICES_SUFFIX, id + 1, stored.indices(), p);
        parts.add(values);
        parts.add(indices);
        Param pointers = null;
        if (stored.pointers() != null) {
            pointers = part(path + POINTERS_SUFFIX, id + 2, stored.pointers(), p);
            parts.add(pointers);
        }
        Graph withParts = GraphEdits.addParamsAfter(g, path, parts);
        RewriteDriver.Result rewritten = new RewriteDriver(NAME, List.of(new SparsifyLinear(p.value(), format, values.value(), indices.value(),
                pointers == null ? null : pointers.value()))).run(withParts);
        if (!rewritten.converged()) throw new IllegalStateException("sparsify on " + path + " did not reach a fixpoint");
        Graph after = rewritten.graph();
        if (!GraphEdits.users(after, p.value()).isEmpty()) throw new IllegalStateException("sparsify left uses of " + path);
        after = GraphEdits.replaceParam(after, path, List.of());

        long paramCount = 0, bytes = 0;
        for (Param part : parts) {
            paramCount += Costs.paramCount(part);
            bytes += Costs.bytes(part);
        }
        List<Node> newNodes = after.nodes().stream().filter(n -> n instanceof Node.SparseLinear s && s.values().equals(values.value())).toList();
        Footprint afterFootprint = new Footprint(paramCount, bytes, Footprints.flops(newNodes));
        details.put("parts", String.join(", ", parts.stream().map(q -> q.path() + ": " + q.type()).toList()));
        return new TargetOutcome(after, TargetReport.applied(planned, before, afterFootprint, certificate, details), rewritten.stats());
    }

    /**
     * The cost model's choice over every linear using the weight (rows: x's leading dims, bounded by
     * the graph's dim bounds): dense if any layer keeps it dense, else by rows if any needs that.
     */
    private static SparseCostModel.Choice choice(Graph g, List<Node> users, SparseFormat format, long stored) {
        SparseCostModel.Choice decisive = null;
        for (Node n : users) {
            List<Dim> xs = ((Node.Linear) n).x().type().shape();
            Dim rows = Dim.of(1);
            for (int i = 0; i < xs.size() - 1; i++) rows = rows.times(xs.get(i));
            SparseCostModel.Choice c = SparseCostModel.choose(format, stored, rows, g.dims());
            if (decisive == null || c.kind().ordinal() > decisive.kind().ordinal()) decisive = c;
        }
        return decisive;
    }

    private static Param part(String path, int id, dev.lathe.runtime.Tensor data, Param of) {
        return new Param(path, new Value(id, TensorType.of(data.dtype(), data.shape()), path), of.provenance(), data);
    }
}
