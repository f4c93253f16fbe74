package dev.lathe.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A symbolic dim size: an integer polynomial over named dims, in a canonical form so that
 * structurally different spellings of one size are equal ({@code S + S} equals {@code 2 * S}).
 * Division that cannot be simplified is kept as an opaque atom: exact division ({@code S / 2},
 * which must divide once {@code S} is known) or floor division (convolution output sizes).
 * Immutable; {@link #toString()} prints the size as a user would write it.
 */
public final class Dim implements Comparable<Dim> {
    /** Monomial (sorted atoms, with repetition) to coefficient; the empty monomial is the constant term. */
    private final TreeMap<Monomial, Long> terms;

    private Dim(TreeMap<Monomial, Long> terms) {
        terms.values().removeIf(c -> c == 0L);
        this.terms = terms;
    }

    public static Dim of(long value) {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        t.put(Monomial.ONE, value);
        return new Dim(t);
    }

    /** A named dim or pattern variable. */
    public static Dim var(String name) {
        return atom(new Atom.Var(name));
    }

    private static Dim atom(Atom a) {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        t.put(new Monomial(List.of(a)), 1L);
        return new Dim(t);
    }

    public Dim plus(Dim o) {
        TreeMap<Monomial, Long> t = new TreeMap<>(terms);
        o.terms.forEach((m, c) -> t.merge(m, c, Math::addExact));
        return new Dim(t);
    }

    public Dim plus(long c) {
        return plus(of(c));
    }

    public Dim negate() {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        terms.forEach((m, c) -> t.put(m, Math.negateExact(c)));
        return new Dim(t);
    }

    public Dim minus(Dim o) {
        return plus(o.negate());
    }

    public Dim times(Dim o) {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        for (var a : terms.entrySet()) {
            for (var b : o.terms.entrySet()) {
                t.merge(a.getKey().times(b.getKey()), Math.multiplyExact(a.getValue(), b.getValue()), Math::addExact);
            }
        }
        return cancelExactDivisions(new Dim(t));
    }

    /** {@code 2 * (S / 2)} is {@code S}: an exact division by a constant cancels against a multiple of it. */
    private static Dim cancelExactDivisions(Dim d) {
        for (var e : d.terms.entrySet()) {
            for (Atom a : e.getKey().atoms) {
                if (a instanceof Atom.Div div && div.exact() && div.den().isConstant()) {
                    long den = div.den().constant().getAsLong();
                    if (den != 0 && e.getValue() % den == 0) {
                        TreeMap<Monomial, Long> rest = new TreeMap<>(d.terms);
                        rest.remove(e.getKey());
                        List<Atom> others = new ArrayList<>(e.getKey().atoms);
                        others.remove(a);
                        Dim term = div.num().times(e.getValue() / den);
                        for (Atom o : others) term = term.times(atom(o));
                        return new Dim(rest).plus(term);
                    }
                }
            }
        }
        return d;
    }

    public Dim times(long c) {
        return times(of(c));
    }

    /**
     * {@code this / d} when it provably divides (every term is a multiple of the single-term
     * divisor), else empty. A zero divisor gives empty.
     */
    public Optional<Dim> divideExactly(Dim d) {
        if (d.terms.size() != 1) return d.equals(this) && !isZero() ? Optional.of(of(1)) : Optional.empty();
        var only = d.terms.firstEntry();
        long dc = only.getValue();
        Monomial dm = only.getKey();
        TreeMap<Monomial, Long> t = new TreeMap<>();
        for (var e : terms.entrySet()) {
            if (e.getValue() % dc != 0) return Optional.empty();
            Optional<Monomial> q = e.getKey().divide(dm);
            if (q.isEmpty()) return Optional.empty();
            t.put(q.get(), e.getValue() / dc);
        }
        return Optional.of(new Dim(t));
    }

    /**
     * {@code this / d} as an exact division: simplified when it provably divides, else an opaque
     * atom that asserts divisibility once the dims are known. Constants that do not divide give
     * empty (E0305 at the call that needs it).
     */
    public Optional<Dim> divExact(Dim d) {
        Optional<Dim> q = divideExactly(d);
        if (q.isPresent()) return q;
        if (isConstant() && d.isConstant()) return Optional.empty();
        if (d.isConstant() && d.constant().getAsLong() == 0) return Optional.empty();
        return Optional.of(atom(new Atom.Div(this, d, true)));
    }

    /** Floor division (convolution and pooling sizes); folds when both sides are constants. */
    public Dim floorDiv(Dim d) {
        if (isConstant() && d.isConstant()) return of(Math.floorDiv(constant().getAsLong(), d.constant().getAsLong()));
        Optional<Dim> q = divideExactly(d);
        return q.orElseGet(() -> atom(new Atom.Div(this, d, false)));
    }

    /**
     * Whether this dim is provably at least 0 when every variable is a size of at least 1 (the
     * assumption under which symbolic slice bounds are resolved). Conservative: false means
     * "not proven". Shifting each variable {@code v} to {@code v + 1} makes the claim "every
     * coefficient is non-negative, for variables at least 0", which needs no search.
     */
    public boolean isProvablyNonNegative() {
        Map<String, Dim> shift = new TreeMap<>();
        for (String v : variables()) shift.put(v, var(v).plus(1));
        return substitute(shift).hasNonNegativeCoefficients();
    }

    /** Every coefficient non-negative and every division atom of such dims (variables at least 0). */
    private boolean hasNonNegativeCoefficients() {
        for (var e : terms.entrySet()) {
            if (e.getValue() < 0) return false;
            for (Atom a : e.getKey().atoms) {
                if (a instanceof Atom.Div d && !(d.num().hasNonNegativeCoefficients() && d.den().hasNonNegativeCoefficients())) return false;
            }
        }
        return true;
    }

    public boolean isConstant() {
        return terms.isEmpty() || (terms.size() == 1 && terms.containsKey(Monomial.ONE));
    }

    public boolean isZero() {
        return terms.isEmpty();
    }

    /** The value when this dim is a constant. */
    public OptionalLong constant() {
        if (!isConstant()) return OptionalLong.empty();
        return OptionalLong.of(terms.getOrDefault(Monomial.ONE, 0L));
    }

    /** Whether this is a bare variable; its name then is {@link #variableName()}. */
    public boolean isVariable() {
        if (terms.size() != 1) return false;
        var e = terms.firstEntry();
        return e.getValue() == 1 && e.getKey().atoms.size() == 1 && e.getKey().atoms.getFirst() instanceof Atom.Var;
    }

    public String variableName() {
        if (!isVariable()) throw new IllegalStateException(this + " is not a variable");
        return ((Atom.Var) terms.firstEntry().getKey().atoms.getFirst()).name();
    }

    /** Names of all variables, including those inside division atoms. */
    public Set<String> variables() {
        Set<String> out = new TreeSet<>();
        for (Monomial m : terms.keySet()) {
            for (Atom a : m.atoms) a.collectVariables(out);
        }
        return out;
    }

    /** Replaces variables by dims; unmapped variables stay. Division atoms are re-simplified. */
    public Dim substitute(Map<String, Dim> env) {
        Dim sum = of(0);
        for (var e : terms.entrySet()) {
            Dim product = of(e.getValue());
            for (Atom a : e.getKey().atoms) product = product.times(a.substitute(env));
            sum = sum.plus(product);
        }
        return sum;
    }

    /**
     * The value with every variable given. Throws {@link ArithmeticException} when an exact
     * division does not divide, and {@link IllegalArgumentException} when a variable is unset.
     */
    public long evaluate(Map<String, Long> env) {
        long sum = 0;
        for (var e : terms.entrySet()) {
            long product = e.getValue();
            for (Atom a : e.getKey().atoms) product = Math.multiplyExact(product, a.evaluate(env));
            sum = Math.addExact(sum, product);
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dim d && terms.equals(d.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    @Override
    public int compareTo(Dim o) {
        return toString().compareTo(o.toString());
    }

    /** As written in source: {@code 256}, {@code B}, {@code 2 * S}, {@code H + 1}, {@code S / 2}, {@code B * S - 1}. */
    @Override
    public String toString() {
        if (terms.isEmpty()) return "0";
        StringBuilder sb = new StringBuilder();
        List<Map.Entry<Monomial, Long>> ordered = new ArrayList<>(terms.entrySet());
        // Variable terms first, the constant last: "S + 1", not "1 + S".
        ordered.sort(Comparator.comparing((Map.Entry<Monomial, Long> e) -> e.getKey().atoms.isEmpty()).thenComparing(Map.Entry::getKey));
        boolean first = true;
        for (var e : ordered) {
            long c = e.getValue();
            Monomial m = e.getKey();
            if (first) {
                if (c < 0) sb.append('-');
            } else {
                sb.append(c < 0 ? " - " : " + ");
            }
            long abs = Math.abs(c);
            if (m.atoms.isEmpty()) {
                sb.append(abs);
            } else {
                if (abs != 1) sb.append(abs).append(" * ");
                sb.append(m.render(terms.size() > 1 || abs != 1));
            }
            first = false;
        }
        return sb.toString();
    }

    private boolean needsParens() {
        return terms.size() > 1 || (!isConstant() && terms.firstEntry().getValue() != 1);
    }

    private sealed interface Atom extends Comparable<Atom> {
        record Var(String name) implements Atom {}

        /** {@code num / den}; exact division or floor division. */
        record Div(Dim num, Dim den, boolean exact) implements Atom {}

        default void collectVariables(Set<String> out) {
            switch (this) {
                case Var v -> out.add(v.name());
                case Div d -> {
                    out.addAll(d.num().variables());
                    out.addAll(d.den().variables());
                }
            }
        }

        default Dim substitute(Map<String, Dim> env) {
            return switch (this) {
                case Var v -> env.getOrDefault(v.name(), Dim.var(v.name()));
                case Div d -> {
                    Dim n = d.num().substitute(env);
                    Dim q = d.den().substitute(env);
                    yield d.exact() ? n.divExact(q).orElseGet(() -> Dim.atom(new Div(n, q, true))) : n.floorDiv(q);
                }
            };
        }

        default long evaluate(Map<String, Long> env) {
            return switch (this) {
                case Var v -> {
                    Long x = env.get(v.name());
                    if (x == null) throw new IllegalArgumentException("dim " + v.name() + " has no value");
                    yield x;
                }
                case Div d -> {
                    long n = d.num().evaluate(env);
                    long q = d.den().evaluate(env);
                    if (q == 0) throw new ArithmeticException("division by zero in " + d.render());
                    if (d.exact() && n % q != 0) throw new ArithmeticException(d.render() + " = " + n + " / " + q + " does not divide exactly");
                    yield Math.floorDiv(n, q);
                }
            };
        }

        default String render() {
            return switch (this) {
                case Var v -> v.name();
                case Div d -> wrap(d.num()) + (d.exact() ? " / " : " // ") + wrap(d.den());
            };
        }

        private static String wrap(Dim d) {
            return d.needsParens() ? "(" + d + ")" : d.toString();
        }

        @Override
        default int compareTo(Atom o) {
            return render().compareTo(o.render());
        }
    }

    private record Monomial(List<Atom> atoms) implements Comparable<Monomial> {
        static final Monomial ONE = new Monomial(List.of());

        Monomial {
            List<Atom> sorted = new ArrayList<>(atoms);
            Collections.sort(sorted);
            atoms = List.copyOf(sorted);
        }

        Monomial times(Monomial o) {
            List<Atom> all = new ArrayList<>(atoms);
            all.addAll(o.atoms);
            return new Monomial(all);
        }

        Optional<Monomial> divide(Monomial d) {
            List<Atom> rest = new ArrayList<>(atoms);
            for (Atom a : d.atoms) {
                if (!rest.remove(a)) return Optional.empty();
            }
            return Optional.of(new Monomial(rest));
        }

        String render(boolean parenthesizeDivision) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < atoms.size(); i++) {
                if (i > 0) sb.append(" * ");
                Atom a = atoms.get(i);
                String r = a.render();
                sb.append(a instanceof Atom.Div && (parenthesizeDivision || atoms.size() > 1) ? "(" + r + ")" : r);
            }
            return sb.toString();
        }

        @Override
        public int compareTo(Monomial o) {
            int c = Integer.compare(o.atoms.size(), atoms.size());
            if (c != 0) return c;
            for (int i = 0; i < atoms.size(); i++) {
                c = atoms.get(i).compareTo(o.atoms.get(i));
                if (c != 0) return c;
            }
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Monomial m && atoms.equals(m.atoms);
        }

        @Override
        public int hashCode() {
            return atoms.hashCode();
        }
    }

    /** Checks {@code a} and {@code b} are non-null and returns whether they are equal. */
    public static boolean same(Dim a, Dim b) {
        return Objects.equals(Objects.requireNonNull(a), Objects.requireNonNull(b));
    }
}
