package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steps of the shape ops. Symbolic dims are only ever regrouped, copied or kept whole, never
 * divided, so every size stays a polynomial in the named dims that is valid for all their values.
 */
final class ShapeSteps {
    /** A slice bound at least this large means "the end" (and its negation "before the start"). */
    private static final long PAST_END = Integer.MAX_VALUE;

    private static final List<DType> CAST_TARGETS = List.of(DType.F32, DType.I64, DType.F64, DType.I32, DType.BOOL);

    private ShapeSteps() {}

    /**
     * Spreads the prime factors of the static dims and each symbolic dim over a target of rank
     * 1..maxRank (all in the first dim for the simplest choice); a third of the time one target
     * dim is written as -1 where the typing rule infers exactly that dim back.
     */
    static void reshape(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> true);
        if (x == null) return;
        TensorType xt = x.type();
        long staticSize = 1;
        List<Dim> symbolic = new ArrayList<>();
        for (Dim d : xt.shape()) {
            if (d.isConstant()) staticSize *= d.constant().getAsLong();
            else symbolic.add(d);
        }
        int rank = ch.between(1, g.config().maxRank());
        List<Dim> target = new ArrayList<>();
        for (int i = 0; i < rank; i++) target.add(Dim.of(1));
        for (long p : primeFactors(staticSize)) {
            int slot = ch.below(rank);
            target.set(slot, target.get(slot).times(p));
        }
        for (Dim s : symbolic) {
            int slot = ch.below(rank);
            target.set(slot, target.get(slot).times(s));
        }
        if (!g.fits(new TensorType(xt.dtype(), target))) return;
        List<Dim> written = target;
        if (ch.oneIn(3)) {
            List<Dim> inferred = new ArrayList<>(target);
            inferred.set(ch.below(rank), Dim.of(-1));
            Optional<List<Dim>> resolved = resolve(xt, inferred);
            if (resolved.isPresent() && resolved.get().equals(target)) written = inferred;
        }
        g.op1("reshape", List.of(x), Attrs.of("shape", written));
    }

    private static Optional<List<Dim>> resolve(TensorType x, List<Dim> target) {
        try {
            return Optional.of(OpTyping.resolveReshape(x, target));
        } catch (dev.lathe.ir.OpTypeException e) {
            return Optional.empty();
        }
    }

    /** A random permutation (the identity for the simplest choice), written as [] for "reverse" a quarter of the time. */
    static void transpose(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> true);
        if (x == null) return;
        int rank = x.type().rank();
        List<Integer> perm;
        if (ch.oneIn(4)) {
            perm = List.of();
        } else {
            List<Integer> remaining = new ArrayList<>();
            for (int i = 0; i < rank; i++) remaining.add(i);
            perm = new ArrayList<>();
            while (!remaining.isEmpty()) perm.add(ReductionSteps.spellAxis(ch, remaining.remove(ch.below(remaining.size())), rank));
        }
        g.op1("transpose", List.of(x), Attrs.of("perm", perm));
    }

    static void flatten(GraphAssembler g, Choices ch) {
        if (g.config().maxRank() < 2) return;
        Value x = g.pick(ch, v -> true);
        if (x == null) return;
        int rank = x.type().rank();
        int axis = ch.below(rank + 1);
        g.op1("flatten", List.of(x), Attrs.of("axis", axis < rank ? ReductionSteps.spellAxis(ch, axis, rank) : axis));
    }

    /**
     * x with up to two more values that agree with it outside the axis: pool values (x itself
     * qualifies) or, a third of the time when x's other dims are static, a param.
     */
    static void concat(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> v.type().rank() >= 1);
        if (x == null) return;
        TensorType xt = x.type();
        int axis = ch.below(xt.rank());
        int more = ch.below(3);
        List<Value> xs = new ArrayList<>(List.of(x));
        for (int i = 0; i < more; i++) {
            List<TensorType> types = new ArrayList<>(xs.stream().map(Value::type).toList());
            Value next = null;
            if (ch.oneIn(3) && otherDimsStatic(xt, axis)) {
                List<Dim> shape = new ArrayList<>(xt.shape());
                shape.set(axis, Dim.of(ch.between(1, g.config().maxDim())));
                TensorType pt = new TensorType(xt.dtype(), shape);
                if (concatFits(g, types, pt, axis)) next = g.param(pt);
            }
            if (next == null) {
                next = g.pick(ch, v -> v.type().dtype() == xt.dtype() && v.type().rank() == xt.rank() && concatFits(g, types, v.type(), axis));
            }
            if (next == null) break;
            xs.add(next);
        }
        g.op1("concat", xs, Attrs.of("axis", ReductionSteps.spellAxis(ch, axis, xt.rank())));
    }

    private static boolean otherDimsStatic(TensorType t, int axis) {
        for (int i = 0; i < t.rank(); i++) {
            if (i != axis && !t.dim(i).isConstant()) return false;
        }
        return true;
    }

    private static boolean concatFits(GraphAssembler g, List<TensorType> types, TensorType next, int axis) {
        List<TensorType> all = new ArrayList<>(types);
        all.add(next);
        return Types.attempt(() -> OpTyping.concat(all, axis)).filter(g::fits).isPresent();
    }

    /**
     * On a static axis of at least 2: into equal parts (a divisor) or into given sizes; where
     * every dim is symbolic or 1, into one part.
     */
    static void split(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> v.type().rank() >= 1);
        if (x == null) return;
        TensorType xt = x.type();
        List<Integer> splittable = new ArrayList<>();
        for (int i = 0; i < xt.rank(); i++) {
            if (Types.constant(xt.dim(i)) >= 2) splittable.add(i);
        }
        int axis;
        Map<String, Object> attrs;
        if (splittable.isEmpty()) {
            // One part of a symbolic size the typing rule cannot prove non-negative, as
            // (S - 2) // 2 + 1 after a pool, is rejected: such axes are not split.
            List<Integer> whole = new ArrayList<>();
            for (int i = 0; i < xt.rank(); i++) {
                if (xt.dim(i).isProvablyNonNegative()) whole.add(i);
            }
            if (whole.isEmpty()) return;
            axis = ch.pick(whole);
            attrs = Attrs.of("parts", 1);
        } else {
            axis = ch.pick(splittable);
            int n = (int) Types.constant(xt.dim(axis));
            if (ch.flag()) {
                attrs = Attrs.of("sizes", composition(ch, n));
            } else {
                attrs = Attrs.of("parts", ch.pick(divisors(n)));
            }
        }
        attrs.put("axis", Dim.of(ReductionSteps.spellAxis(ch, axis, xt.rank())));
        g.op("split", List.of(x), attrs);
    }

    /** n as a sum of 1 to 3 positive sizes. */
    private static List<Integer> composition(Choices ch, int n) {
        int parts = ch.between(1, Math.min(3, n));
        List<Integer> cuts = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int i = 1; i < n; i++) free.add(i);
        for (int i = 0; i < parts - 1; i++) cuts.add(free.remove(ch.below(free.size())));
        cuts.sort(null);
        List<Integer> sizes = new ArrayList<>();
        int previous = 0;
        for (int c : cuts) {
            sizes.add(c - previous);
            previous = c;
        }
        sizes.add(n - previous);
        return sizes;
    }

    /**
     * A non-empty slice. On a static dim: any start and end with step 1 or 2, or a reversed range
     * with step -1, bounds sometimes written from the end or past it. On a symbolic dim: one of
     * the forms whose length the typing rule can resolve and that are non-empty for every size.
     */
    static void slice(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> v.type().rank() >= 1);
        if (x == null) return;
        TensorType xt = x.type();
        int axis = ch.below(xt.rank());
        long n = Types.constant(xt.dim(axis));
        long start;
        long end;
        long step;
        if (n >= 1) {
            int form = ch.below(4);
            if (form < 3) {
                step = form == 2 ? 2 : 1;
                long s = ch.below((int) n);
                long e = s + 1 + ch.below((int) (n - s));
                start = s > 0 && ch.oneIn(3) ? s - n : s;
                end = e == n && ch.flag() ? PAST_END : e;
            } else {
                step = -1;
                long s = n - 1 - ch.below((int) n);
                long e = s - 1 - ch.below((int) s + 1);
                start = s;
                end = e < 0 ? -PAST_END : e;
            }
        } else {
            List<long[]> forms = new ArrayList<>();
            for (long[] f : new long[][] {{0, 1, 1}, {0, PAST_END, 1}, {-1, PAST_END, 1}, {1, PAST_END, 1}, {0, PAST_END, 2},
                    {-1, -PAST_END, -1}}) {
                if (sliceFits(g, xt, axis, f[0], f[1], f[2])) forms.add(f);
            }
            if (forms.isEmpty()) return;
            long[] f = ch.pick(forms);
            start = f[0];
            end = f[1];
            step = f[2];
        }
        if (!sliceFits(g, xt, axis, start, end, step)) return;
        g.op1("slice", List.of(x), Attrs.of("axis", ReductionSteps.spellAxis(ch, axis, xt.rank()), "start", start, "end", end, "step", step));
    }

    private static boolean sliceFits(GraphAssembler g, TensorType x, int axis, long start, long end, long step) {
        return Types.attempt(() -> OpTyping.slice(x, axis, Dim.of(start), Dim.of(end), step)).filter(g::fits).isPresent();
    }

    /** Some of the dims that are 1; a quarter of the time (or when no value has one) {@code axes = []}, every 1. */
    static void squeeze(GraphAssembler g, Choices ch) {
        Value x = ch.oneIn(4) ? null : g.pick(ch, v -> v.type().shape().stream().anyMatch(Types::isOne));
        List<Integer> axes = new ArrayList<>();
        if (x == null) {
            x = g.pick(ch, v -> true);
            if (x == null) return;
        } else {
            int rank = x.type().rank();
            List<Integer> ones = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                if (Types.isOne(x.type().dim(i))) ones.add(i);
            }
            int mask = 1 + ch.below((1 << ones.size()) - 1);
            for (int i = 0; i < ones.size(); i++) {
                if ((mask & (1 << i)) != 0) axes.add(ReductionSteps.spellAxis(ch, ones.get(i), rank));
            }
        }
        g.op1("squeeze", List.of(x), Attrs.of("axes", axes));
    }

    /** One or two new dims of 1, at positions of the result. */
    static void unsqueeze(GraphAssembler g, Choices ch) {
        int maxRank = g.config().maxRank();
        Value x = g.pick(ch, v -> v.type().rank() < maxRank);
        if (x == null) return;
        int rank = x.type().rank();
        int added = ch.between(1, Math.min(2, maxRank - rank));
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < rank + added; i++) free.add(i);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < added; i++) axes.add(ReductionSteps.spellAxis(ch, free.remove(ch.below(free.size())), rank + added));
        g.op1("unsqueeze", List.of(x), Attrs.of("axes", axes));
    }

    /** Constant indices, some negative, valid for the smallest size the axis can have. */
    static void gather(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> v.type().rank() >= 1);
        if (x == null) return;
        TensorType xt = x.type();
        int axis = ch.below(xt.rank());
        long smallest = g.lowest(xt.dim(axis));
        int idxRank = ch.below(Math.min(3, g.config().maxRank() - xt.rank() + 2));
        long[] idxShape = new long[idxRank];
        for (int i = 0; i < idxRank; i++) idxShape[i] = ch.between(1, 3);
        TensorType idxType = TensorType.of(DType.I64, idxShape);
        if (Types.attempt(() -> OpTyping.gather(xt, idxType, axis)).filter(g::fits).isEmpty()) return;
        Value idx = g.indices(idxShape, -smallest, smallest - 1);
        g.op1("gather", List.of(x, idx), Attrs.of("axis", ReductionSteps.spellAxis(ch, axis, xt.rank())));
    }

    /** A new table param [V, E] read at constant indices in range. */
    static void embedding(GraphAssembler g, Choices ch) {
        int vocab = ch.between(1, g.config().maxDim() + 2);
        int width = ch.between(1, g.config().maxDim());
        int idxRank = ch.below(Math.min(3, g.config().maxRank()));
        long[] idxShape = new long[idxRank];
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < idxRank; i++) {
            idxShape[i] = ch.between(1, 3);
            out.add(Dim.of(idxShape[i]));
        }
        out.add(Dim.of(width));
        if (!g.fits(new TensorType(DType.F32, out))) return;
        Value table = g.param(TensorType.of(DType.F32, vocab, width));
        Value idx = g.indices(idxShape, 0, vocab - 1);
        g.op1("embedding", List.of(idx, table), Map.of());
    }

    static void cast(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> true);
        if (x == null) return;
        List<DType> targets = CAST_TARGETS.stream().filter(t -> t != x.type().dtype()).toList();
        g.op1("cast", List.of(x), Attrs.of("dtype", ch.pick(targets).sourceName()));
    }

    private static List<Long> primeFactors(long n) {
        List<Long> out = new ArrayList<>();
        for (long p = 2; p * p <= n; p++) {
            while (n % p == 0) {
                out.add(p);
                n /= p;
            }
        }
        if (n > 1) out.add(n);
        return out;
    }

    private static List<Integer> divisors(int n) {
        List<Integer> out = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) out.add(d);
        }
        return out;
    }
}
