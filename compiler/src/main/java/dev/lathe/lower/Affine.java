package dev.lathe.lower;

import dev.lathe.ir.Dim;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An index affine in a loop nest's variables: {@code offset + sum_v coef[v] * i_v}, with symbolic
 * (run-time) offset and coefficients. Loads and stores of a {@link Kernel.Loop} address their flat
 * row-major arrays with it; strides of 0 broadcast, permuted strides transpose, an offset slices.
 * Immutable; variables with a zero coefficient are left out.
 */
public record Affine(Dim offset, SortedMap<Integer, Dim> coefs) {
    public static final Affine ZERO = new Affine(Dim.of(0), new TreeMap<>());

    public Affine {
        TreeMap<Integer, Dim> copy = new TreeMap<>();
        for (Map.Entry<Integer, Dim> e : coefs.entrySet()) {
            if (!e.getValue().isZero()) copy.put(e.getKey(), e.getValue());
        }
        coefs = Collections.unmodifiableSortedMap(copy);
    }

    public static Affine constant(Dim offset) {
        return new Affine(offset, new TreeMap<>());
    }

    /** {@code coef * i_var}. */
    public static Affine term(int var, Dim coef) {
        TreeMap<Integer, Dim> m = new TreeMap<>();
        m.put(var, coef);
        return new Affine(Dim.of(0), m);
    }

    /** The row-major flat index of variables {@code firstVar..firstVar+rank-1} over {@code shape}. */
    public static Affine rowMajor(java.util.List<Dim> shape, int firstVar) {
        Affine a = ZERO;
        Dim stride = Dim.of(1);
        for (int d = shape.size() - 1; d >= 0; d--) {
            a = a.plus(term(firstVar + d, stride));
            stride = stride.times(shape.get(d));
        }
        return a;
    }

    public Dim coef(int var) {
        return coefs.getOrDefault(var, Dim.of(0));
    }

    public Affine plus(Affine o) {
        TreeMap<Integer, Dim> m = new TreeMap<>(coefs);
        o.coefs.forEach((v, c) -> m.merge(v, c, Dim::plus));
        return new Affine(offset.plus(o.offset), m);
    }

    public Affine plus(Dim c) {
        return new Affine(offset.plus(c), coefs);
    }

    public Affine times(Dim c) {
        TreeMap<Integer, Dim> m = new TreeMap<>();
        coefs.forEach((v, x) -> m.put(v, x.times(c)));
        return new Affine(offset.times(c), m);
    }

    /** This index with variable {@code v} replaced by {@code replacement(v)}. */
    public Affine substitute(java.util.function.IntFunction<Affine> replacement) {
        Affine out = constant(offset);
        for (Map.Entry<Integer, Dim> e : coefs.entrySet()) out = out.plus(replacement.apply(e.getKey()).times(e.getValue()));
        return out;
    }

    public boolean uses(int var) {
        return coefs.containsKey(var);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, Dim> e : coefs.entrySet()) {
            if (!sb.isEmpty()) sb.append(" + ");
            String c = e.getValue().toString();
            if (!c.equals("1")) sb.append(c.contains(" ") ? "(" + c + ")" : c).append('*');
            sb.append('i').append(e.getKey());
        }
        if (!offset.isZero() || sb.isEmpty()) {
            if (!sb.isEmpty()) sb.append(" + ");
            String o = offset.toString();
            sb.append(o.contains(" ") && !sb.isEmpty() ? "(" + o + ")" : o);
        }
        return sb.toString();
    }
}
