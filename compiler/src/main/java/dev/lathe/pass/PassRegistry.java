package dev.lathe.pass;

import static dev.lathe.pass.ArgRule.Condition.given;
import static dev.lathe.pass.ArgRule.Condition.is;

import dev.lathe.pass.Allowed.Either;
import dev.lathe.pass.Allowed.ListOf;
import dev.lathe.pass.Allowed.NOfM;
import dev.lathe.pass.Allowed.OneOf;
import dev.lathe.pass.Allowed.Range;
import dev.lathe.pass.ArgRule.DefaultWhen;
import dev.lathe.pass.ArgRule.ExactlyOneOf;
import dev.lathe.pass.ArgRule.Implies;
import dev.lathe.pass.ArgRule.OnlyWhen;
import dev.lathe.pass.ArgRule.RequiredWhen;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The passes a user may ask for, as an explicit list of metadata (LANGUAGE.md §7). The planner
 * checks statements against it, and {@link PassDocs} renders it for the CLI help and the docs,
 * so a constraint written here is the one users read. Immutable.
 */
public final class PassRegistry {
    // Declared before STANDARD: static initializers run in textual order.
    private static final Range UNIT_OPEN_CLOSED = Range.between(0, false, 1, true);   // (0, 1]
    private static final Range UNIT_CLOSED_OPEN = Range.between(0, true, 1, false);   // [0, 1)
    private static final Range POSITIVE = Range.atLeast(1);

    private static final PassRegistry STANDARD = new PassRegistry(List.of(lowrank(), sparsify(), quantize(), kernelize()));

    private final List<PassInfo> passes;

    public PassRegistry(List<PassInfo> passes) {
        this.passes = List.copyOf(passes);
        Set<String> names = new HashSet<>();
        for (PassInfo p : this.passes) {
            if (!names.add(p.name())) throw new IllegalArgumentException("pass " + p.name() + " registered twice");
        }
    }

    /** lowrank, sparsify, quantize and kernelize, in the order LANGUAGE.md §7 lists them. */
    public static PassRegistry standard() {
        return STANDARD;
    }

    public List<PassInfo> passes() {
        return passes;
    }

    public List<String> names() {
        return passes.stream().map(PassInfo::name).toList();
    }

    public Optional<PassInfo> lookup(String name) {
        return passes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static PassInfo lowrank() {
        return new PassInfo("lowrank",
                "factor a weight W[m, n] into B[m, r] A[r, n] by truncated SVD",
                List.of(
                        new ArgInfo("rank", ArgType.INT, POSITIVE, null, "the rank r"),
                        new ArgInfo("ratio", ArgType.FLOAT, UNIT_OPEN_CLOSED, null, "r as a fraction of min(m, n), rounded up"),
                        new ArgInfo("energy", ArgType.FLOAT, UNIT_OPEN_CLOSED, null,
                                "the smallest r whose singular values keep this fraction of sum(sigma^2)"),
                        new ArgInfo("threshold", ArgType.FLOAT, UNIT_CLOSED_OPEN, null,
                                "drop singular values whose min-max normalized value (sigma - sigma_min) / (sigma_max - sigma_min) "
                                        + "is below this (WeLore); a constant spectrum keeps all"),
                        new ArgInfo("min_saving", ArgType.FLOAT, UNIT_CLOSED_OPEN, 0.1,
                                "skip the target unless r(m + n) < (1 - min_saving) m n"),
                        new ArgInfo("compensate", ArgType.BOOL, new Allowed.Any(), false,
                                "fit the factors to calibration activations (EoRA); on a weight an earlier pass made lossy, "
                                        + "add a low-rank path for its error")),
                TargetKind.PARAM,
                "a float weight used only as the weight of linear [out, in], the right operand of matmul [in, out] (rank 2), "
                        + "or the kernel of a 1x1 conv2d with groups = 1, and not factored before; compensate needs calibration "
                        + "inputs and a linear or matmul weight; skipped with a report line when r(m + n) >= (1 - min_saving) m n",
                List.of(new ExactlyOneOf(List.of("rank", "ratio", "energy", "threshold"))),
                Set.of());
    }

    private static PassInfo sparsify() {
        return new PassInfo("sparsify",
                "magnitude pruning, stored as CSR, N:M or BSR",
                List.of(
                        new ArgInfo("pattern", ArgType.STRING, Either.of(OneOf.of("unstructured"), new NOfM(), OneOf.of("block")),
                                "unstructured", "which entries may be pruned: any, N kept of every M along a row, or whole blocks"),
                        new ArgInfo("sparsity", ArgType.FLOAT, UNIT_CLOSED_OPEN, null,
                                "the fraction of entries set to zero (N:M fixes it at 1 - N/M)"),
                        new ArgInfo("block", ArgType.INT_LIST, new ListOf(2, POSITIVE), null, "the block shape [rows, cols]")),
                TargetKind.PARAM,
                "a float weight [out, in] used only as the weight of linear layers (matmul and conv2d weights are not targets yet); "
                        + "N:M needs the in dim divisible by M and block both dims divisible by the block; the graph stores the parts sparse, "
                        + "and a cost model chooses per layer and batch size whether the JVM backend runs the sparse kernel or the "
                        + "dense GEMM over the pruned weight (the report's kernel detail says which and why)",
                List.of(
                        new Implies(given("block"), "pattern", "block"),
                        new RequiredWhen(is("pattern", "block"), "block"),
                        new OnlyWhen(is("pattern", "unstructured", "block"), "sparsity"),
                        new DefaultWhen(is("pattern", "unstructured", "block"), "sparsity", 0.8)),
                Set.of());
    }

    private static PassInfo quantize() {
        return new PassInfo("quantize",
                "integer weight quantization; int8 x int8 GEMM with dynamic activations; DGQ is A8W4 with two-level scales",
                List.of(
                        new ArgInfo("bits", ArgType.INT, OneOf.of(8L, 4L), 8L, "bits per weight"),
                        new ArgInfo("granularity", ArgType.STRING, OneOf.of("tensor", "channel", "group"), "channel",
                                "one scale per tensor, per output channel, or per group of inputs"),
                        new ArgInfo("group", ArgType.INT, OneOf.of(32L, 64L, 128L), null, "inputs per scale group"),
                        new ArgInfo("symmetric", ArgType.BOOL, new Allowed.Any(), true, "zero point fixed at 0"),
                        new ArgInfo("activations", ArgType.STRING, OneOf.of("none", "dynamic"), "none",
                                "quantize activations to int8 at run time"),
                        new ArgInfo("scheme", ArgType.STRING, OneOf.of("rtn", "dgq"), "rtn",
                                "round to nearest, or dual-grain quantization (A8W4)"),
                        new ArgInfo("calibration", ArgType.STRING, OneOf.of("minmax", "percentile", "mse"), "minmax",
                                "how the clipping range is chosen"),
                        new ArgInfo("percentile", ArgType.FLOAT, Range.between(0, false, 100, true), null,
                                "the percentile of |w| used as the clipping range (asymmetric: the percentiles 100 - p and p of w)")),
                TargetKind.PARAM,
                "a float weight used only as the weight [out, in] of linear layers or only as the right operand [in, out] of "
                        + "matmul (quantized transposed; conv2d weights are not targets yet); the channel is the out dim; group needs "
                        + "the in dim divisible by the group; activations = \"dynamic\" quantizes each row of x to int8 at run time; "
                        + "scheme = \"dgq\" is not implemented yet (skipped with that reason); skipped as unprofitable when the integers, "
                        + "scales and zero points take no fewer bytes than the weight",
                List.of(
                        new Implies(is("scheme", "dgq"), "bits", 4L),
                        new Implies(is("scheme", "dgq"), "activations", "dynamic"),
                        new Implies(is("scheme", "dgq"), "granularity", "group"),
                        new Implies(given("group"), "granularity", "group"),
                        new DefaultWhen(is("granularity", "group"), "group", 128L),
                        new Implies(given("percentile"), "calibration", "percentile"),
                        new DefaultWhen(is("calibration", "percentile"), "percentile", 99.9)),
                Set.of());
    }

    private static PassInfo kernelize() {
        return new PassInfo("kernelize",
                "replace softmax attention by linear-time attention",
                List.of(
                        new ArgInfo("method", ArgType.STRING, OneOf.of("favor", "elu", "nystrom", "window"), "favor",
                                "FAVOR+ random features, elu(x) + 1 feature map, Nystrom landmarks, or local window"),
                        new ArgInfo("features", ArgType.INT, POSITIVE, null, "random features (favor)"),
                        new ArgInfo("landmarks", ArgType.INT, POSITIVE, null, "landmarks (nystrom)"),
                        new ArgInfo("window", ArgType.INT, POSITIVE, null, "positions each query attends to (window)"),
                        new ArgInfo("seed", ArgType.INT, new Allowed.Any(), null,
                                "seed of the random features; a fixed seed gives bitwise-identical output")),
                TargetKind.INSTANCE,
                "an attention op without an explicit mask; nystrom needs causal = false; window w attends to the keys less than w "
                        + "positions away (the w up to the query when causal)",
                List.of(
                        new Implies(given("features"), "method", "favor"),
                        new Implies(given("landmarks"), "method", "nystrom"),
                        new Implies(given("window"), "method", "window"),
                        new DefaultWhen(is("method", "favor"), "features", 256L),
                        new DefaultWhen(is("method", "nystrom"), "landmarks", 64L),
                        new DefaultWhen(is("method", "window"), "window", 128L),
                        new OnlyWhen(is("method", "favor"), "seed"),
                        new DefaultWhen(is("method", "favor"), "seed", 0L)),
                Set.of("attention"));
    }
}
