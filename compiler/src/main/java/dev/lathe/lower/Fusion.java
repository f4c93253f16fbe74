package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel IR fusion, before buffers are planned:
 * <ol>
 *   <li>GEMM and conv epilogues: an elementwise loop that only applies an activation to a GEMM's (or
 *       conv's) result, adds a residual of the same shape, or adds a bias along the last dim, is
 *       folded into the call ({@code C = act(A·B + bias) + residual}), which then writes the loop's
 *       buffer.</li>
 *   <li>Loop nests: a loop that computes an intermediate read exactly once, by another loop over the
 *       same points, is inlined into that loop's body, so an elementwise chain becomes one loop nest
 *       and its intermediates disappear. Bodies stay under {@link #MAX_BODY} nodes (method size).</li>
 * </ol>
 */
final class Fusion {
    /** Largest fused scalar body, in nodes; keeps each generated method far from 8,000 bytes. */
    static final int MAX_BODY = 48;

    private Fusion() {}

    static KernelProgram run(KernelProgram p) {
        List<Kernel> ks = new ArrayList<>(p.kernels());
        while (epilogue(p, ks)) {
            // one fusion per round: the read counts change
        }
        while (loops(p, ks)) {
            // likewise
        }
        return p.withKernels(ks);
    }

    private static Map<Integer, Integer> counts(List<Kernel> ks, boolean writes) {
        Map<Integer, Integer> c = new HashMap<>();
        for (Kernel k : ks) {
            if (writes) {
                for (int b : k.writes()) c.merge(b, 1, Integer::sum);
            } else if (k instanceof Kernel.Loop loop) {
                loadsOf(loop).forEach(l -> c.merge(l.buffer(), 1, Integer::sum));
            } else {
                for (int b : k.reads()) c.merge(b, 1, Integer::sum);
            }
        }
        return c;
    }

    private static List<Scalar.Load> loadsOf(Kernel.Loop loop) {
        List<Scalar.Load> loads = new ArrayList<>();
        java.util.function.Consumer<Scalar> collect = s -> {
            if (s instanceof Scalar.Load l) loads.add(l);
        };
        Scalar.forEach(loop.body(), collect);
        if (loop.reduction() != null) {
            Scalar.forEach(loop.reduction().value(), collect);
            if (loop.reduction().init() != null) Scalar.forEach(loop.reduction().init(), collect);
        }
        return loads;
    }

    /** Index of the only kernel after {@code from} that reads {@code buffer}, or -1. */
    private static int reader(List<Kernel> ks, int from, int buffer) {
        for (int j = from + 1; j < ks.size(); j++) {
            if (ks.get(j).reads().contains(buffer)) return j;
        }
        return -1;
    }

    // ---- epilogues ---------------------------------------------------------------------------

    private static boolean epilogue(KernelProgram p, List<Kernel> ks) {
        Map<Integer, Integer> reads = counts(ks, false);
        Map<Integer, Integer> writes = counts(ks, true);
        for (int g = 0; g < ks.size(); g++) {
            Kernel k = ks.get(g);
            int c;
            if (k instanceof Kernel.Gemm gemm && gemm.cOff().isZero() && gemm.ldc().equals(gemm.n())) c = gemm.c();
            else if (k instanceof Kernel.Conv conv) c = conv.out();
            else if (k instanceof Kernel.SparseGemm sg) c = sg.y();
            else continue;
            if (p.buffer(c).kind() != Buffer.Kind.TEMP || writes.getOrDefault(c, 0) != 1 || reads.getOrDefault(c, 0) != 1) continue;
            int j = reader(ks, g, c);
            if (j < 0 || !(ks.get(j) instanceof Kernel.Loop loop) || loop.reduction() != null) continue;
            if (p.buffer(loop.out()).dtype() != DType.F32 || !loop.outIndex().equals(Affine.rowMajor(loop.extents(), 0))) continue;
            Kernel fused = switch (k) {
                case Kernel.Gemm gemm -> fuseGemm(p, gemm, loop);
                case Kernel.Conv conv -> fuseConv(conv, loop);
                case Kernel.SparseGemm sg -> fuseSparseGemm(sg, loop);
                default -> null;
            };
            if (fused == null) continue;
            ks.set(j, fused);
            ks.remove(g);
            return true;
        }
        return false;
    }

    private static boolean isDense(Scalar s, int buffer, Kernel.Loop loop) {
        return s instanceof Scalar.Load l && l.buffer() == buffer && l.gather() == null && l.index().equals(Affine.rowMajor(loop.extents(), 0));
    }

    /** The runtime activation an elementwise op is, or null. */
    private static String activation(Scalar.UnaryOp op) {
        return switch (op) {
            case RELU -> "RELU";
            case GELU_ERF -> "GELU_ERF";
            case GELU_TANH -> "GELU_TANH";
            case SILU -> "SILU";
            case SIGMOID -> "SIGMOID";
            case TANH -> "TANH";
            default -> null;
        };
    }

    /** An activation over the whole result moves into the sparse call, as into a GEMM's epilogue. */
    private static Kernel fuseSparseGemm(Kernel.SparseGemm g, Kernel.Loop loop) {
        if (!Lowerer.product(loop.extents()).equals(g.m().times(Dim.of(g.out()))) || !g.activation().equals(LinalgLowering.NONE)) return null;
        if (!(loop.body() instanceof Scalar.Unary u) || u.type() != DType.F32 || activation(u.op()) == null || !isDense(u.x(), g.y(), loop)) return null;
        return new Kernel.SparseGemm(g.label() + " + " + loop.label(), g.m(), g.out(), g.in(), g.blockRows(), g.blockCols(), g.x(), g.values(), g.indices(),
                g.pointers(), g.bias(), g.dense(), g.denseFromRows(), activation(u.op()), loop.out());
    }

    private static Kernel fuseGemm(KernelProgram p, Kernel.Gemm g, Kernel.Loop loop) {
        if (!Lowerer.product(loop.extents()).equals(g.m().times(g.n()))) return null;
        String label = g.label() + " + " + loop.label();
        Scalar body = loop.body();
        if (body instanceof Scalar.Unary u && u.type() == DType.F32 && activation(u.op()) != null && isDense(u.x(), g.c(), loop)
                && g.activation().equals(LinalgLowering.NONE) && g.residual() < 0) {
            return g.with(loop.out(), g.bias(), activation(u.op()), -1, label);
        }
        if (body instanceof Scalar.Binary b && b.op() == Scalar.BinaryOp.ADD && b.type() == DType.F32) {
            Scalar other = isDense(b.a(), g.c(), loop) ? b.b() : isDense(b.b(), g.c(), loop) ? b.a() : null;
            if (other instanceof Scalar.Load r && r.type() == DType.F32 && r.gather() == null && r.buffer() != g.c()) {
                if (isDense(r, r.buffer(), loop) && g.residual() < 0) return g.with(loop.out(), g.bias(), g.activation(), r.buffer(), label);
                int last = loop.extents().size() - 1;
                if (last >= 0 && r.index().equals(Affine.term(last, Dim.of(1))) && loop.extents().get(last).equals(g.n()) && g.bias() < 0
                        && g.activation().equals(LinalgLowering.NONE) && g.residual() < 0 && p.buffer(r.buffer()).dtype() == DType.F32) {
                    return g.with(loop.out(), r.buffer(), g.activation(), -1, label);
                }
            }
        }
        return null;
    }

    private static Kernel fuseConv(Kernel.Conv c, Kernel.Loop loop) {
        if (loop.body() instanceof Scalar.Unary u && u.type() == DType.F32 && activation(u.op()) != null && isDense(u.x(), c.out(), loop)
                && c.activation().equals(LinalgLowering.NONE)) {
            return new Kernel.Conv(c.label() + " + " + loop.label(), c.x(), c.batch(), c.cin(), c.h(), c.w(), c.weight(), c.cout(), c.kh(), c.kw(), c.bias(),
                    c.stride(), c.pads(), c.dilation(), c.groups(), activation(u.op()), loop.out());
        }
        return null;
    }

    // ---- loop nests --------------------------------------------------------------------------

    private static boolean loops(KernelProgram p, List<Kernel> ks) {
        Map<Integer, Integer> reads = counts(ks, false);
        Map<Integer, Integer> writes = counts(ks, true);
        for (int i = 0; i < ks.size(); i++) {
            if (!(ks.get(i) instanceof Kernel.Loop producer) || producer.reduction() != null) continue;
            int x = producer.out();
            if (p.buffer(x).kind() != Buffer.Kind.TEMP || writes.getOrDefault(x, 0) != 1 || reads.getOrDefault(x, 0) != 1) continue;
            if (!producer.outIndex().equals(Affine.rowMajor(producer.extents(), 0))) continue;
            int j = reader(ks, i, x);
            if (j < 0 || !(ks.get(j) instanceof Kernel.Loop consumer) || !consumer.extents().equals(producer.extents())) continue;
            Affine dense = Affine.rowMajor(producer.extents(), 0);
            boolean[] found = new boolean[1];
            Scalar body = Scalar.rewrite(consumer.body(), s -> {
                if (s instanceof Scalar.Load l && l.buffer() == x && l.gather() == null && l.index().equals(dense)) {
                    found[0] = true;
                    return producer.body();
                }
                return s;
            });
            // The read must be in the body (once per point), not in a reduction that would recompute the producer.
            if (!found[0] || Scalar.size(body) > MAX_BODY) continue;
            ks.set(j, new Kernel.Loop(producer.label() + " + " + consumer.label(), consumer.out(), consumer.outIndex(), consumer.extents(),
                    consumer.reduction(), body));
            ks.remove(i);
            return true;
        }
        return false;
    }
}
