package dev.lathe.lower;

import dev.lathe.ir.Dim;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Flattens loop nests: outer loops of extent 1 are dropped, and two adjacent outer loops merge into
 * one when every index of the kernel steps over them contiguously ({@code coef[d] == coef[d+1] *
 * extent[d+1]}). A same-shape elementwise loop becomes one flat loop that indexes every array with
 * the same induction variable, the form C2 vectorizes (DESIGN.md §6).
 */
final class Coalescing {
    private Coalescing() {}

    static KernelProgram run(KernelProgram p) {
        List<Kernel> out = new ArrayList<>();
        for (Kernel k : p.kernels()) out.add(k instanceof Kernel.Loop loop ? coalesce(loop) : k);
        return p.withKernels(out);
    }

    static Kernel.Loop coalesce(Kernel.Loop loop) {
        boolean changed = true;
        while (changed) {
            changed = false;
            List<Dim> extents = loop.extents();
            for (int d = 0; d < extents.size(); d++) {
                if (Lowerer.isOne(extents.get(d))) {
                    loop = dropVar(loop, d);
                    changed = true;
                    break;
                }
            }
            if (changed) continue;
            for (int d = 0; d + 1 < extents.size(); d++) {
                if (mergeable(loop, d)) {
                    loop = mergeVars(loop, d);
                    changed = true;
                    break;
                }
            }
        }
        return loop;
    }

    private static boolean mergeable(Kernel.Loop loop, int d) {
        Dim inner = loop.extents().get(d + 1);
        for (Affine a : affines(loop)) {
            if (!a.coef(d).equals(a.coef(d + 1).times(inner))) return false;
        }
        return true;
    }

    /** Removes outer variable {@code d} (extent 1, so always 0) and renumbers the ones after it. */
    private static Kernel.Loop dropVar(Kernel.Loop loop, int d) {
        List<Dim> extents = new ArrayList<>(loop.extents());
        extents.remove(d);
        return rebuild(loop, extents, a -> a.substitute(v -> v == d ? Affine.ZERO : Affine.term(v > d ? v - 1 : v, Dim.of(1))));
    }

    /** Merges outer variables d and d+1 into d (= i_d * extent[d+1] + i_{d+1}). */
    private static Kernel.Loop mergeVars(Kernel.Loop loop, int d) {
        List<Dim> extents = new ArrayList<>(loop.extents());
        Dim inner = extents.remove(d + 1);
        extents.set(d, extents.get(d).times(inner));
        return rebuild(loop, extents, a -> {
            Dim c = a.coef(d + 1);
            Affine rest = new Affine(a.offset(), without(a, d, d + 1));
            Affine renumbered = rest.substitute(v -> Affine.term(v > d + 1 ? v - 1 : v, Dim.of(1)));
            return renumbered.plus(Affine.term(d, c));
        });
    }

    private static java.util.SortedMap<Integer, Dim> without(Affine a, int x, int y) {
        java.util.TreeMap<Integer, Dim> m = new java.util.TreeMap<>(a.coefs());
        m.remove(x);
        m.remove(y);
        return m;
    }

    private static List<Affine> affines(Kernel.Loop loop) {
        List<Affine> all = new ArrayList<>();
        all.add(loop.outIndex());
        java.util.function.Consumer<Scalar> collect = s -> {
            if (s instanceof Scalar.Load l) all.add(l.index());
            if (s instanceof Scalar.Index i) all.add(i.index());
        };
        Scalar.forEach(loop.body(), collect);
        if (loop.reduction() != null) {
            Scalar.forEach(loop.reduction().value(), collect);
            if (loop.reduction().init() != null) Scalar.forEach(loop.reduction().init(), collect);
        }
        return all;
    }

    private static Kernel.Loop rebuild(Kernel.Loop loop, List<Dim> extents, UnaryOperator<Affine> f) {
        UnaryOperator<Scalar> g = s -> switch (s) {
            case Scalar.Load l -> new Scalar.Load(l.buffer(), f.apply(l.index()), l.gather(), l.type());
            case Scalar.Index i -> new Scalar.Index(f.apply(i.index()));
            default -> s;
        };
        Kernel.Reduction r = loop.reduction();
        Kernel.Reduction nr = r == null ? null
                : new Kernel.Reduction(r.op(), r.extents(), Scalar.rewrite(r.value(), g), r.init() == null ? null : Scalar.rewrite(r.init(), g));
        return new Kernel.Loop(loop.label(), loop.out(), f.apply(loop.outIndex()), extents, nr, Scalar.rewrite(loop.body(), g));
    }
}
