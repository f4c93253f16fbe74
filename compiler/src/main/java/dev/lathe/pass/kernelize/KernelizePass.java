package dev.lathe.pass.kernelize;

import dev.lathe.interp.AttentionOps;
import dev.lathe.interp.Interpreter;
import dev.lathe.interp.LinearAttentionOps;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.Footprint;
import dev.lathe.pass.Footprints;
import dev.lathe.pass.Pass;
import dev.lathe.pass.PassContext;
import dev.lathe.pass.PassInfo;
import dev.lathe.pass.PassRegistry;
import dev.lathe.pass.PassResult;
import dev.lathe.pass.PlannedPass;
import dev.lathe.pass.RewriteDriver;
import dev.lathe.pass.RuleStats;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kernelize} (LANGUAGE.md §7): replaces the softmax attention of an instance by a
 * {@code linear_attention} ({@link KernelizeAttention}; semantics in
 * {@link LinearAttentionOps}): {@code favor}, {@code elu}, {@code nystrom} (non-causal only) and
 * {@code window}. A target is skipped when it makes no attention op, or one with an explicit mask.
 *
 * <p>Certificate: for FAVOR+ the variance of the softmax-kernel estimate, which for m positive
 * random features is {@code (exp(|q' + k'|^2) - 1) / m} times {@code exp(q' . k')^2} (Choromanski et
 * al. 2021, Lemma 2, i.i.d. features; orthogonal ones do no worse); for a window, that attention is
 * exact within the window. With calibration inputs, the mean of that relative variance over the
 * calibration's query-key pairs and the attention's measured relative output error
 * {@code ||out - exact||_F / ||exact||_F} on them.
 */
public final class KernelizePass implements Pass {
    public static final String NAME = "kernelize";
    /** Pairs per head sampled for the FAVOR+ variance estimate on calibration inputs. */
    private static final int VARIANCE_PAIRS = 4096;

    private static final PassInfo INFO = PassRegistry.standard().lookup(NAME).orElseThrow();

    @Override
    public PassInfo info() {
        return INFO;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        Graph g = graph;
        List<TargetReport> entries = new ArrayList<>();
        List<RuleStats> stats = new ArrayList<>();
        for (PlannedPass target : targets) {
            Graph before = g;
            TargetReport report;
            String path = target.target();
            List<Node.Attention> found = g.nodes().stream().filter(n -> n instanceof Node.Attention a && a.provenance().instancePath().equals(path))
                    .map(n -> (Node.Attention) n).toList();
            Footprint footprint = Footprints.ofInstance(g, path);
            Map<String, Object> details = new LinkedHashMap<>();
            String method = (String) target.arg("method");
            if (found.isEmpty()) {
                boolean done = g.nodes().stream().anyMatch(n -> n instanceof Node.LinearAttention a && a.provenance().instancePath().equals(path));
                report = TargetReport.skipped(target, SkipReason.precondition(done ? "already kernelized" : "the instance makes no attention op"),
                        footprint, details);
            } else if (found.stream().anyMatch(a -> a.mask() != null)) {
                report = TargetReport.skipped(target, SkipReason.precondition("an attention op with an explicit mask"), footprint, details);
            } else if (method.equals("nystrom") && found.stream().anyMatch(Node.Attention::causal)) {
                report = TargetReport.skipped(target, SkipReason.precondition("nystrom needs causal = false"), footprint, details);
            } else {
                Node.KernelMethod kind = Node.KernelMethod.valueOf(method.toUpperCase(Locale.ROOT));
                int size = switch (kind) {
                    case FAVOR -> Math.toIntExact((Long) target.arg("features"));
                    case WINDOW -> Math.toIntExact((Long) target.arg("window"));
                    case ELU -> 0;
                    case NYSTROM -> Math.toIntExact((Long) target.arg("landmarks"));
                };
                long seed = target.has("seed") && target.arg("seed") != null ? (Long) target.arg("seed") : 0L;
                RewriteDriver.Result rewritten = new RewriteDriver(NAME, List.of(new KernelizeAttention(path, kind, size, seed))).run(g);
                if (!rewritten.converged()) throw new IllegalStateException("kernelize on " + path + " did not reach a fixpoint");
                g = rewritten.graph();
                stats.addAll(rewritten.stats());
                details.put("method", kind.sourceName());
                if (kind != Node.KernelMethod.ELU) details.put(kind.sizeName(), (long) size);
                if (kind == Node.KernelMethod.NYSTROM) details.put("newton-schulz iterations", (long) dev.lathe.runtime.kernels.LinearAttention.NEWTON_SCHULZ_ITERATIONS);
                if (kind == Node.KernelMethod.FAVOR) details.put("seed", seed);
                List<ErrorBound> certificate = new ArrayList<>(staticCertificate(kind, size));
                if (context.hasCalibration()) certificate.addAll(measured(before, found, kind, size, seed, context));
                report = TargetReport.applied(target, footprint, Footprints.ofInstance(g, path), certificate, details);
            }
            entries.add(report);
        }
        return new PassResult(g, entries, RuleStats.merge(stats));
    }

    private static List<ErrorBound> staticCertificate(Node.KernelMethod kind, int size) {
        return switch (kind) {
            case FAVOR -> List.of(ErrorBound.equal("Var[phi(q').phi(k')] / (exp(q'.k')^2 (exp(|q'+k'|^2) - 1))", 1.0 / size,
                    "1/m for m = " + size + " positive random features (Performer Lemma 2; orthogonal features do no worse)"));
            case WINDOW -> List.of(ErrorBound.equal("error on the keys within the window", 0,
                    "exact softmax within " + size + " positions; keys outside are dropped"));
            case ELU, NYSTROM -> List.of();
        };
    }

    /** Runs the graph on the calibration feeds, capturing q, k, v of each replaced attention. */
    private static List<ErrorBound> measured(Graph g, List<Node.Attention> nodes, Node.KernelMethod kind, int size, long seed, PassContext context) {
        double diff2 = 0, ref2 = 0, variance = 0;
        long pairs = 0;
        try {
            for (Node.Attention a : nodes) {
                List<GraphOutput> outputs = new ArrayList<>(g.outputs());
                outputs.add(new GraphOutput("$kernelize.q", a.q()));
                outputs.add(new GraphOutput("$kernelize.k", a.k()));
                outputs.add(new GraphOutput("$kernelize.v", a.v()));
                Graph probe = new Graph(g.name(), g.inputs(), g.params(), g.nodes(), outputs, g.dims());
                for (Map<String, Tensor> feed : context.calibration()) {
                    Map<String, Tensor> r = Interpreter.run(probe, feed);
                    Tensor q = r.get("$kernelize.q"), k = r.get("$kernelize.k"), v = r.get("$kernelize.v");
                    double scale = a.scaleFor(q.dim(2) / a.heads());
                    double[] exact = AttentionOps.attention(q, k, v, a.heads(), null, a.causal(), scale).toDoubleArray();
                    double[] approx = LinearAttentionOps.attention(q, k, v, a.heads(), kind, size, seed, a.causal(), scale).toDoubleArray();
                    for (int i = 0; i < exact.length; i++) {
                        diff2 += (approx[i] - exact[i]) * (approx[i] - exact[i]);
                        ref2 += exact[i] * exact[i];
                    }
                    if (kind == Node.KernelMethod.FAVOR) {
                        double[] v2 = favorRelativeVariance(q, k, a.heads(), scale, size);
                        variance += v2[0];
                        pairs += (long) v2[1];
                    }
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        List<ErrorBound> out = new ArrayList<>();
        if (kind == Node.KernelMethod.FAVOR && pairs > 0) {
            out.add(ErrorBound.equal("mean Var[phi(q').phi(k')] / exp(q'.k')^2 on calibration", variance / pairs,
                    "(exp(|q'+k'|^2) - 1) / m over " + pairs + " query-key pairs of the calibration inputs"));
        }
        out.add(ErrorBound.equal("||out - exact||_F / ||exact||_F measured", ref2 == 0 ? Math.sqrt(diff2) : Math.sqrt(diff2 / ref2),
                "this attention's output against softmax attention on the calibration inputs"));
        return out;
    }

    /** {sum over sampled pairs of (exp(|q'+k'|^2) - 1) / m, the number of pairs}, with q' = sqrt(scale) q. */
    private static double[] favorRelativeVariance(Tensor q, Tensor k, int heads, double scale, int m) {
        int batch = (int) q.dim(0), sq = (int) q.dim(1), d = (int) q.dim(2), sk = (int) k.dim(1);
        int dh = d / heads;
        long total = (long) batch * heads * sq * sk;
        long stride = Math.max(1, total / VARIANCE_PAIRS);
        double sum = 0;
        long count = 0;
        for (long p = 0; p < total; p += stride) {
            int j = (int) (p % sk);
            int i = (int) (p / sk % sq);
            int h = (int) (p / sk / sq % heads);
            int b = (int) (p / sk / sq / heads);
            double n2 = 0;
            for (int c = 0; c < dh; c++) {
                double s = q.getDouble((b * sq + i) * d + h * dh + c) + k.getDouble((b * sk + j) * d + h * dh + c);
                n2 += s * s;
            }
            sum += Math.expm1(n2 * scale) / m;
            count++;
        }
        return new double[] {sum, count};
    }
}
