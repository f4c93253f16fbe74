package dev.lathe.pass.quantize;

import dev.lathe.ir.Costs;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Node.QuantGranularity;
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
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetOutcome;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code quantize} (LANGUAGE.md §7, issue 5), weight-only round to nearest: per target,
 * <ol>
 *   <li>the weight must still be in the graph, be a float matrix, and be used only as the weight
 *       [out, in] of {@code linear} layers or only as the right operand [in, out] of {@code matmul}s
 *       (quantized as its transpose); otherwise the target is skipped, precondition failed. A weight
 *       quantized by an earlier run (its {@code <path>.q} is in the graph) is not quantized again.
 *       {@code scheme = "dgq"} is skipped as not implemented;</li>
 *   <li>the clipping range of every scale cell (tensor, output row, or group of inputs in a row) comes
 *       from {@code calibration} ({@link Quantizer}); scales are f32, zero points (asymmetric) integers
 *       of the weights' type, so 0.0 is exact;</li>
 *   <li>the weight is replaced, in its place in the param list, by {@code <path>.q} (i8 / i4 symmetric,
 *       u8 / u4 asymmetric; i4 and u4 count two per byte), {@code <path>.scales} and, asymmetric,
 *       {@code <path>.zeros}, and each linear layer or matmul using it becomes a
 *       {@code quantized_linear} ({@link QuantizeLinearWeight}, {@link QuantizeMatMulWeight}); a target
 *       whose integers, scales and zero points would not take fewer bytes is skipped as unprofitable.</li>
 * </ol>
 *
 * <p>The certificate gives the per-element bound {@code max |W - deq(Q(W))| <= max scale / 2} (with
 * the distance to the representable range added for weights a percentile or MSE range clips), the
 * measured maximum, the Frobenius bound {@code sqrt(sum of squared element bounds)} and the measured
 * Frobenius error, all against the weight the pass received. With {@code activations = "dynamic"} the
 * layers quantize each row of x to int8 at run time (scale {@code s = max|x| / 127}, so
 * {@code |x - s x̂| <= s / 2} per element, plus f32 rounding of the quotient), and the certificate adds
 * the output bound per unit of the row's max|x|:
 * {@code |x W^T - x̂ deq(Q(W))^T|_o <= max|x| (Σ_i e_oi + (0.5 + 2e-5) / 127 Σ_i |deq(Q(W))_oi|)}, e the
 * per-weight bound (the first term is the weight part, the second the activation rounding).
 */
public final class QuantizePass implements Pass {
    public static final String NAME = "quantize";
    public static final String Q_SUFFIX = ".q";
    public static final String SCALES_SUFFIX = ".scales";
    public static final String ZEROS_SUFFIX = ".zeros";

    private static final PassInfo INFO = PassRegistry.standard().lookup(NAME).orElseThrow();

    @Override
    public PassInfo info() {
        return INFO;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        return TargetOutcome.runEach(graph, targets, QuantizePass::quantize);
    }

    private static TargetOutcome quantize(Graph g, PlannedPass planned) {
        String path = planned.target();
        if (!GraphEdits.hasParam(g, path)) {
            if (GraphEdits.hasParam(g, path + Q_SUFFIX)) {
                Param q = g.param(path + Q_SUFFIX);
                return TargetOutcome.skipped(g, planned, SkipReason.precondition("already quantized to " + q.type() + " (" + path + Q_SUFFIX
                        + "); a quantized weight is not quantized again"), Footprints.ofParam(g, path + Q_SUFFIX), Map.of());
            }
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("the graph no longer has this param (an earlier pass replaced it)"),
                    Footprint.ZERO, Map.of());
        }
        Param p = g.param(path);
        Footprint before = Footprints.ofParam(g, path);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("shape", p.type().toString());
        boolean dynamic = "dynamic".equals(planned.arg("activations"));
        if (!"rtn".equals(planned.arg("scheme"))) {
            return TargetOutcome.skipped(g, planned, new SkipReason(SkipReason.Kind.NOT_IMPLEMENTED, "scheme = \"" + planned.arg("scheme") + "\" is "
                    + SkipReason.NOT_IMPLEMENTED_MESSAGE), before, details);
        }
        Uses uses = uses(g, p);
        if (uses.why() != null) return TargetOutcome.skipped(g, planned, SkipReason.precondition(uses.why()), before, details);
        boolean matmul = uses.kind() == Kind.MATMUL;
        for (String suffix : List.of(Q_SUFFIX, SCALES_SUFFIX, ZEROS_SUFFIX)) {
            if (GraphEdits.hasParam(g, path + suffix)) {
                return TargetOutcome.skipped(g, planned, SkipReason.precondition("the graph already has a param " + path + suffix), before, details);
            }
        }
        long[] shape = p.type().staticShape();
        // Quantized as a linear weight [m, n] = [out, in]: a matmul's right operand [in, out] transposed.
        int m = Math.toIntExact(shape[matmul ? 1 : 0]);
        int n = Math.toIntExact(shape[matmul ? 0 : 1]);
        int bits = Math.toIntExact((Long) planned.arg("bits"));
        QuantGranularity granularity = QuantGranularity.valueOf(((String) planned.arg("granularity")).toUpperCase(Locale.ROOT));
        int group = granularity == QuantGranularity.GROUP ? Math.toIntExact((Long) planned.arg("group")) : n;
        if (n % group != 0) {
            return TargetOutcome.skipped(g, planned, SkipReason.precondition("group " + group + " does not divide its " + n + " inputs"), before, details);
        }
        boolean symmetric = (Boolean) planned.arg("symmetric");
        Quantizer.Calibration calibration = switch ((String) planned.arg("calibration")) {
            case "minmax" -> new Quantizer.MinMax();
            case "percentile" -> new Quantizer.Percentile((Double) planned.arg("percentile"));
            case "mse" -> new Quantizer.Mse();
            default -> throw new IllegalArgumentException("calibration " + planned.arg("calibration"));
        };

        Quantizer.Layout layout = Quantizer.Layout.of(m, n, granularity, group);
        long cells = layout.cells();
        long storedBytes = packed((long) m * n, bits) + 4 * cells + (symmetric ? 0 : packed(cells, bits));
        if (storedBytes >= before.bytes()) {
            return TargetOutcome.skipped(g, planned, SkipReason.unprofitable(storedBytes + " bytes of integers, scales" + (symmetric ? "" : " and zero points")
                    + " are not fewer than the weight's " + before.bytes()), before, details);
        }
        // w: [out, in] as the pass received it
        double[] w = matmul ? transpose(p.data().toDoubleArray(), n, m) : p.data().toDoubleArray();
        Quantizer.Scheme scheme = new Quantizer.Scheme(bits, symmetric);
        Quantizer.Quantized quantized = Quantizer.quantize(w, layout, scheme, calibration);

        DType qType = symmetric ? (bits == 8 ? DType.I8 : DType.I4) : (bits == 8 ? DType.U8 : DType.U4);
        long[] scaleShape = {layout.scaleRows(), layout.scaleCols()};
        int id = GraphEdits.nextValueId(g);
        List<Param> replacement = new ArrayList<>();
        long[] qShape = {m, n};
        Param q = param(path + Q_SUFFIX, id, qType, qShape, Tensor.ofLongs(qType, qShape, quantized.q()), p);
        Param scales = param(path + SCALES_SUFFIX, id + 1, DType.F32, scaleShape, Tensor.fromDoubles(DType.F32, scaleShape, quantized.scales()), p);
        replacement.add(q);
        replacement.add(scales);
        Param zeros = null;
        if (!symmetric) {
            zeros = param(path + ZEROS_SUFFIX, id + 2, qType, scaleShape, Tensor.ofLongs(qType, scaleShape, quantized.zeros()), p);
            replacement.add(zeros);
        }
        details.put("bits", (long) bits);
        details.put("granularity", granularity.sourceName() + (granularity == QuantGranularity.GROUP ? " " + group : ""));
        details.put("symmetric", symmetric);
        if (dynamic) details.put("activations", "dynamic: int8 per row at run time, integer products");
        if (matmul) details.put("layout", "the matmul operand [in, out] is stored transposed, [out, in]");
        details.put("params", String.join(", ", replacement.stream().map(r -> r.path() + ": " + r.type()).toList()));

        Graph withParams = GraphEdits.addParamsAfter(g, path, replacement);
        Value zeroValue = zeros == null ? null : zeros.value();
        RewriteDriver.Result rewritten = new RewriteDriver(NAME, List.of(matmul
                ? new QuantizeMatMulWeight(p.value(), q.value(), scales.value(), zeroValue, bits, granularity, group, dynamic)
                : new QuantizeLinearWeight(p.value(), q.value(), scales.value(), zeroValue, bits, granularity, group, dynamic))).run(withParams);
        if (!rewritten.converged()) throw new IllegalStateException("quantize on " + path + " did not reach a fixpoint");
        Graph after = rewritten.graph();
        if (!GraphEdits.users(after, p.value()).isEmpty()) throw new IllegalStateException("quantize left uses of " + path);
        after = GraphEdits.replaceParam(after, path, List.of());

        long params = 0, bytes = 0;
        for (Param r : replacement) {
            params += Costs.paramCount(r);
            bytes += Costs.bytes(r);
        }
        Footprint afterFootprint = new Footprint(params, bytes, Footprints.flops(GraphEdits.users(after, q.value())));
        details.put("bytes", before.bytes() + " -> " + bytes + String.format(Locale.ROOT, " (%.2fx smaller)", (double) before.bytes() / bytes));
        return new TargetOutcome(after, TargetReport.applied(planned, before, afterFootprint, certificate(w, quantized, calibration, dynamic, n), details),
                rewritten.stats());
    }

    /** Bytes of {@code count} integers of {@code bits} bits, 4-bit ones packed two per byte. */
    private static long packed(long count, int bits) {
        return bits == 8 ? count : (count + 1) / 2;
    }

    private static Param param(String path, int id, DType dtype, long[] shape, Tensor data, Param origin) {
        return new Param(path, new Value(id, TensorType.of(dtype, shape), path), origin.provenance(), data);
    }

    private enum Kind { LINEAR, MATMUL }

    /** How the weight is used: all as the weight of linear layers, all as the right operand of matmuls, or why neither ({@code why}). */
    private record Uses(Kind kind, String why) {
        static Uses unusable(String why) {
            return new Uses(null, why);
        }
    }

    private static final String EXPECTED = "quantize quantizes the weight of a linear layer or the right operand of a matmul in this version";

    private static Uses uses(Graph g, Param p) {
        Value w = p.value();
        if (!p.type().dtype().isFloating()) return Uses.unusable("it is " + p.type() + "; quantize quantizes float weights");
        if (p.type().rank() != 2) return Uses.unusable("it is " + p.type() + "; quantize needs a weight [out, in] of rank 2");
        if (p.data() == null) return Uses.unusable("it has no data (the graph is not bound)");
        if (GraphEdits.isOutput(g, w)) return Uses.unusable("it is a graph output");
        List<Node> users = GraphEdits.users(g, w);
        if (users.isEmpty()) return Uses.unusable("no op uses it");
        Kind kind = null;
        for (Node node : users) {
            Kind k;
            if (node instanceof Node.Linear l && l.w().equals(w) && !l.x().equals(w) && !w.equals(l.b())) {
                k = Kind.LINEAR;
            } else if (node instanceof Node.MatMul mm && mm.b().equals(w) && !mm.a().equals(w)) {
                k = Kind.MATMUL;
            } else {
                String role = node instanceof Node.Linear ? " as its input or bias" : node instanceof Node.MatMul ? " as its left operand" : "";
                return Uses.unusable("it is used by " + node.opName() + role + "; " + EXPECTED);
            }
            if (kind != null && kind != k) return Uses.unusable("it is used both by a linear layer and by a matmul");
            kind = k;
        }
        return new Uses(kind, null);
    }

    /** {@code a} [rows, cols] row-major, transposed to [cols, rows]. */
    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        }
        return t;
    }

    /** Activation rounding of dynamic int8, per unit of max|x| and of |deq(W)|: s / 2 with s = max|x| / 127, plus f32 slack. */
    static final double DYNAMIC_ROUNDING = (0.5 + 2e-5) / 127;

    private static List<ErrorBound> certificate(double[] w, Quantizer.Quantized quantized, Quantizer.Calibration calibration, boolean dynamic, int in) {
        double[] deq = quantized.dequantize();
        double[] bounds = quantized.elementBounds(w);
        double maxBound = 0, boundSquares = 0, maxError = 0, errorSquares = 0, norm = 0, maxScale = 0;
        for (int e = 0; e < w.length; e++) {
            double d = Math.abs(w[e] - deq[e]);
            maxBound = Math.max(maxBound, bounds[e]);
            boundSquares += bounds[e] * bounds[e];
            maxError = Math.max(maxError, d);
            errorSquares += d * d;
            norm += w[e] * w[e];
        }
        for (double s : quantized.scales()) maxScale = Math.max(maxScale, s);
        String basis = calibration instanceof Quantizer.MinMax
                ? "max over scale groups of scale / 2 (round to nearest, every weight in range); max scale " + String.format(Locale.ROOT, "%.4g", maxScale)
                : "max over weights of scale / 2 in range, or the distance to the range for clipped weights; max scale "
                        + String.format(Locale.ROOT, "%.4g", maxScale);
        double frobenius = Math.sqrt(errorSquares);
        List<ErrorBound> lines = new ArrayList<>();
        if (dynamic) {
            double worst = 0;
            for (int o = 0; o < w.length / in; o++) {
                double weightPart = 0, absDeq = 0;
                for (int i = o * in; i < (o + 1) * in; i++) {
                    weightPart += bounds[i];
                    absDeq += Math.abs(deq[i]);
                }
                worst = Math.max(worst, weightPart + DYNAMIC_ROUNDING * absDeq);
            }
            lines.add(ErrorBound.atMost("max |x W^T - x^ deq(Q(W))^T| / max|x| per row", worst,
                    "max over outputs of the sum of per-weight bounds + (0.5 + 2e-5) / 127 * sum |deq(Q(W))| (int8 activations, scale max|x| / 127)"));
        }
        lines.addAll(List.of(
                ErrorBound.atMost("max |W - deq(Q(W))|", maxBound, basis),
                ErrorBound.equal("max |W - deq(Q(W))| measured", maxError, "with the stored integers and f32 scales"),
                ErrorBound.atMost("||W - deq(Q(W))||_F", Math.sqrt(boundSquares), "sqrt of the sum of squared per-weight bounds"),
                ErrorBound.equal("||W - deq(Q(W))||_F measured", frobenius, "with the stored integers and f32 scales"),
                ErrorBound.equal("||W - deq(Q(W))||_F / ||W||_F", norm == 0 ? 0 : frobenius / Math.sqrt(norm), "relative")));
        return lines;
    }
}
