package dev.lathe.pass.lowrank;

import dev.lathe.ir.Costs;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
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
import dev.lathe.pass.Rule;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetOutcome;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code lowrank} (LANGUAGE.md §7): factors a weight {@code W ~ B A} by truncated SVD and rewrites
 * its uses with the rules {@link FactorLinearLowRank}, {@link FactorMatMulLowRank} and
 * {@link FactorConv1x1LowRank}. Per target:
 * <ol>
 *   <li>The weight must still be in the graph and every use must be of one supported kind
 *       ({@link WeightUses}); otherwise the target is skipped, precondition failed. A weight already
 *       factored by an earlier run (its factors {@code <path>.A} and {@code <path>.B} are in the
 *       graph, the tag this pass leaves) is not factored again, so repeating an energy rule cannot
 *       shrink it a second time.</li>
 *   <li>The weight, as an [m, n] = [out, in] matrix, is decomposed in double; the rank comes from
 *       {@link RankChoice}. When {@code r (m + n) >= (1 - min_saving) m n} the target is skipped as
 *       unprofitable, with both numbers.</li>
 *   <li>The factors are rounded once to the weight's dtype and replace the weight as params
 *       {@code <path>.A} [r, in] and {@code <path>.B} [out, r] (4-D [r, in, 1, 1] and [out, r, 1, 1] for a
 *       1x1 conv), in the weight's place in the param list.</li>
 * </ol>
 *
 * <p>The certificate gives {@code ||W - BA||_F = sqrt(sum of dropped sigma^2)} and
 * {@code ||W - BA||_2 = sigma_{r+1}} (Eckart–Young), the relative Frobenius error, and the
 * Frobenius error measured with the stored, rounded factors.
 *
 * <p>{@code compensate = true} fits the factors to calibration activations instead (EoRA): with C
 * the damped second moment of the weight's inputs ({@link Spectrum#activationWeighted}), it
 * minimizes {@code ||(T - BA) X||_F}, where T is the weight itself when no earlier pass changed it
 * (an activation-aware factorization, rewritten as above), and the residual {@code W - W'} when an
 * earlier lossy pass turned the weight W the pipeline started from into W' (then the layer keeps W'
 * and gains the path {@code B (A x)}: {@link CompensateLinearLowRank}, {@link CompensateMatMulLowRank}).
 * It needs calibration inputs and a linear or matmul weight; otherwise the target is skipped with
 * that reason. The same rank rules and profitability gate apply, to the weighted singular values.
 */
public final class LowRankPass implements Pass {
    public static final String NAME = "lowrank";
    /** Suffixes of the factor params; their presence is the tag of a factored weight. */
    public static final String A_SUFFIX = ".A";
    public static final String B_SUFFIX = ".B";

    private static final PassInfo INFO = PassRegistry.standard().lookup(NAME).orElseThrow();

    @Override
    public PassInfo info() {
        return INFO;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        return TargetOutcome.runEach(graph, targets, (g, target) -> factor(g, target, context));
    }

    private static TargetOutcome factor(Graph g, PlannedPass planned, PassContext context) {
        String path = planned.target();
        if (!GraphEdits.hasParam(g, path)) {
            if (GraphEdits.hasParam(g, path + A_SUFFIX) && GraphEdits.hasParam(g, path + B_SUFFIX)) {
                Footprint factors = Footprints.ofParam(g, path + A_SUFFIX).plus(Footprints.ofParam(g, path + B_SUFFIX));
                long rank = g.param(path + A_SUFFIX).type().staticShape()[0];
                return TargetOutcome.skipped(g, planned, SkipReason.precondition("already factored at rank " + rank + " (" + path + A_SUFFIX
                        + ", " + path + B_SUFFIX + "); a factored weight is not factored again"), factors, Map.of("rank", rank));
            }
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("the graph no longer has this param (an earlier pass replaced it)"),
                    Footprint.ZERO, Map.of());
        }
        Param p = g.param(path);
        Footprint before = Footprints.ofParam(g, path);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("shape", p.type().toString());
        String pathA = path + A_SUFFIX;
        String pathB = path + B_SUFFIX;
        if (GraphEdits.hasParam(g, pathA) || GraphEdits.hasParam(g, pathB)) {
            // A compensated weight keeps its path next to its factors; it is not compensated twice.
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("the graph already has a param " + (GraphEdits.hasParam(g, pathA) ? pathA : pathB)
                    + " (it was compensated before, or the name is taken)"), before, details);
        }
        WeightUses uses;
        switch (WeightUses.of(g, p)) {
            case WeightUses.Unusable(String why) -> {
                return TargetOutcome.skipped(g, planned, SkipReason.precondition(why), before, details);
            }
            case WeightUses.Usable(WeightUses u) -> uses = u;
        }
        int m = uses.m();
        int n = uses.n();
        double[] current = uses.oriented(p.data().toDoubleArray());
        boolean compensate = Boolean.TRUE.equals(planned.args().get("compensate"));
        double[] target = current;
        ActivationStats activations = null;
        boolean residual = false;
        Spectrum spectrum;
        try {
            if (compensate) {
                if (uses.kind() == WeightUses.Kind.CONV_1X1) {
                    return TargetOutcome.skipped(g, planned, SkipReason.precondition("compensate = true applies to linear and matmul weights, not to a "
                            + uses.kind().label), before, details);
                }
                if (!context.hasCalibration()) {
                    return TargetOutcome.skipped(g, planned, SkipReason.precondition(
                            "compensate = true needs calibration inputs (lathe report --calibration FILE)"), before, details);
                }
                Tensor reference = context.referenceData(path).orElse(p.data());
                if (!java.util.Arrays.equals(reference.shape(), p.data().shape())) {
                    return TargetOutcome.skipped(g, planned, SkipReason.precondition("its shape changed since the pipeline started"), before, details);
                }
                residual = !reference.equals(p.data());
                if (residual) target = Matrices.minus(uses.oriented(reference.toDoubleArray()), current);
                try {
                    activations = ActivationStats.collect(g, uses.inputs(), n, context.calibration());
                } catch (RuntimeException e) {
                    return TargetOutcome.skipped(g, planned, SkipReason.precondition("the calibration inputs do not run: " + e.getMessage()), before, details);
                }
                details.put("calibration rows", activations.rows());
                details.put("damping", Spectrum.dampingOf(activations.covariance(), n));
                spectrum = Spectrum.activationWeighted(target, m, n, activations.covariance());
            } else {
                spectrum = Spectrum.of(target, m, n);
            }
        } catch (ArithmeticException e) {
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("it cannot be decomposed: " + e.getMessage()), before, details);
        }

        int r = RankChoice.choose(planned.args(), spectrum.singularValues());
        details.put("rank", (long) r);
        details.put("rule", RankChoice.describe(planned.args()) + " -> rank " + r + " of " + spectrum.maxRank());
        double minSaving = (Double) planned.arg("min_saving");
        long kept = (long) r * (m + n);
        double limit = (1 - minSaving) * m * n;
        if (kept >= limit) {
            return TargetOutcome.skipped(g, planned, SkipReason.unprofitable(String.format(Locale.ROOT,
                    "rank %d keeps r(m + n) = %d of m n = %d values, not below (1 - min_saving) m n = %s", r, kept, (long) m * n,
                    trim(limit))), before, details);
        }
        Factors factors = spectrum.truncate(r);
        DType dtype = p.type().dtype();
        boolean conv = uses.kind() == WeightUses.Kind.CONV_1X1;
        long[] shapeA = conv ? new long[] {r, n, 1, 1} : new long[] {r, n};
        long[] shapeB = conv ? new long[] {m, r, 1, 1} : new long[] {m, r};
        Tensor dataA = Tensor.fromDoubles(dtype, shapeA, factors.a());
        Tensor dataB = Tensor.fromDoubles(dtype, shapeB, factors.b());
        int id = GraphEdits.nextValueId(g);
        Param paramA = new Param(pathA, new Value(id, TensorType.of(dtype, shapeA), pathA), p.provenance(), dataA);
        Param paramB = new Param(pathB, new Value(id + 1, TensorType.of(dtype, shapeB), pathB), p.provenance(), dataB);
        details.put("factors", pathA + ": " + paramA.type() + ", " + pathB + ": " + paramB.type());

        Value w = p.value();
        Value a = paramA.value();
        Value b = paramB.value();
        List<Rule<?>> rules = switch (uses.kind()) {
            case LINEAR -> List.of(residual ? new CompensateLinearLowRank(w, a, b) : new FactorLinearLowRank(w, a, b));
            case MATMUL -> List.of(residual ? new CompensateMatMulLowRank(w, a, b) : new FactorMatMulLowRank(w, a, b));
            case CONV_1X1 -> List.of(new FactorConv1x1LowRank(w, a, b));
        };
        Graph withFactors = GraphEdits.addParamsAfter(g, path, List.of(paramA, paramB));
        RewriteDriver.Result rewritten = new RewriteDriver(NAME, rules).run(withFactors);
        if (!rewritten.converged()) throw new IllegalStateException("lowrank on " + path + " did not reach a fixpoint");
        Graph after = rewritten.graph();
        if (!residual) {
            if (!GraphEdits.users(after, w).isEmpty()) throw new IllegalStateException("lowrank left uses of " + path);
            after = GraphEdits.replaceParam(after, path, List.of());
        }

        Footprint factorFootprint = new Footprint(Costs.paramCount(paramA) + Costs.paramCount(paramB), Costs.bytes(paramA) + Costs.bytes(paramB),
                Footprints.flops(newNodes(g, after)));
        Footprint afterFootprint = residual
                ? new Footprint(before.params() + factorFootprint.params(), before.bytes() + factorFootprint.bytes(), factorFootprint.flops())
                : factorFootprint;
        double[] stored = new Factors(m, n, r, dataB.toDoubleArray(), dataA.toDoubleArray()).product();
        List<ErrorBound> certificate = new ArrayList<>(compensate
                ? activationCertificate(spectrum, r, target, stored, m, n, activations, residual, dtype)
                : plainCertificate(spectrum, r, target, stored, dtype));
        if (!compensate && context.hasCalibration()) {
            certificate.addAll(measuredOnCalibration(g, uses, spectrum.spectralTail(r), target, stored, context));
        }
        return new TargetOutcome(after, TargetReport.applied(planned, before, afterFootprint, certificate, details), rewritten.stats());
    }

    /** The nodes of {@code after} that {@code before} does not have (the driver keeps untouched nodes as they were). */
    private static List<Node> newNodes(Graph before, Graph after) {
        Set<Node> old = Collections.newSetFromMap(new IdentityHashMap<>());
        old.addAll(before.nodes());
        return after.nodes().stream().filter(node -> !old.contains(node)).toList();
    }

    private static List<ErrorBound> plainCertificate(Spectrum s, int r, double[] w, double[] stored, DType dtype) {
        double norm = s.frobeniusNorm();
        double tail = s.tailFrobenius(r);
        return List.of(
                ErrorBound.equal("||W - BA||_F", tail, "sqrt of the sum of dropped sigma^2, Eckart-Young"),
                ErrorBound.equal("||W - BA||_2", s.spectralTail(r), "sigma_" + (r + 1)),
                ErrorBound.equal("||W - BA||_F / ||W||_F", norm == 0 ? 0 : tail / norm, "relative"),
                ErrorBound.equal("||W - BA||_F stored", Matrices.frobenius(Matrices.minus(w, stored)),
                        "measured with the factors rounded to " + dtype.sourceName()));
    }

    /**
     * With calibration inputs, the layer's own error on them next to what the spectral certificate
     * allows: every activation row x moves by {@code ||(W - BA) x|| <= sigma_{r+1} ||x||}, so the
     * root mean square over the rows is at most sigma_{r+1} times the rows' RMS norm.
     */
    private static List<ErrorBound> measuredOnCalibration(Graph g, WeightUses uses, double sigmaNext, double[] w, double[] stored,
                                                          PassContext context) {
        ActivationStats x;
        try {
            x = ActivationStats.collect(g, uses.inputs(), uses.n(), context.calibration());
        } catch (RuntimeException e) {
            return List.of();
        }
        double[] c = x.covariance();
        double meanSquare = 0;
        for (int i = 0; i < uses.n(); i++) meanSquare += c[i * uses.n() + i];
        return List.of(
                ErrorBound.atMost("||(W - BA) X||_F / sqrt(N)", sigmaNext * Math.sqrt(meanSquare),
                        "sigma_{r+1} times the RMS norm of the N = " + x.rows() + " calibration rows reaching the weight"),
                ErrorBound.equal("||(W - BA) X||_F / sqrt(N) measured", Matrices.activationError(Matrices.minus(w, stored), uses.m(), uses.n(), c),
                        "on those rows, with the stored factors"));
    }

    private static List<ErrorBound> activationCertificate(Spectrum s, int r, double[] t, double[] stored, int m, int n,
                                                          ActivationStats x, boolean residual, DType dtype) {
        String e = residual ? "(W - W' - BA)" : "(W - BA)";
        double[] c = x.covariance();
        // The best plain SVD of the same rank, for comparison: compensation is never worse in this norm.
        double[] svd = Spectrum.of(t, m, n).truncate(r).product();
        List<ErrorBound> out = new ArrayList<>();
        out.add(ErrorBound.atMost("||" + e + " X||_F / sqrt(N)", s.tailFrobenius(r),
                "sqrt of the sum of dropped sigma^2 in the damped eigenspace of N = " + x.rows() + " calibration rows"));
        out.add(ErrorBound.equal("||" + e + " X||_F / sqrt(N) stored", Matrices.activationError(Matrices.minus(t, stored), m, n, c),
                "measured with the factors rounded to " + dtype.sourceName()));
        out.add(ErrorBound.equal("plain SVD ||" + e + " X||_F / sqrt(N)", Matrices.activationError(Matrices.minus(t, svd), m, n, c),
                "the same rank without calibration, for comparison"));
        if (residual) {
            out.add(ErrorBound.equal("||(W - W') X||_F / sqrt(N)", Matrices.activationError(t, m, n, c), "the error compensated for"));
        }
        out.add(ErrorBound.equal("||" + e + "||_F stored", Matrices.frobenius(Matrices.minus(t, stored)),
                "measured with the factors rounded to " + dtype.sourceName()));
        return out;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
