package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.runtime.DType;
import java.util.Locale;
import java.util.Objects;

/**
 * The scalar body of a {@link Kernel.Loop}: an expression tree evaluated once per loop point.
 * Every node has a result {@link #type()}; the rule is the reference interpreter's, so that a
 * compiled op rounds exactly where the interpreter does: a floating result is computed in double
 * from its operands widened to double and then rounded to its type (f32, f16, bf16; f64 is not
 * rounded); an integer result is computed in long and wrapped to its width; bool is a truth value.
 * Operands of another kind than the result are converted as by a C cast first.
 */
public sealed interface Scalar {
    DType type();

    /** Elementwise functions of one operand (parameters {@code p1}, {@code p2} where noted). */
    enum UnaryOp {
        NEG, ABS, EXP, LOG, SQRT, RSQRT, ERF, TANH, SIGMOID, RELU, SILU, SOFTPLUS, GELU_ERF, GELU_TANH,
        /** {@code p1} = alpha. */
        LEAKY_RELU,
        /** {@code p1} = lower bound, {@code p2} = upper bound (infinite where absent). */
        CLIP,
        /** Logical not of a bool. */
        NOT;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum BinaryOp {
        ADD, SUB, MUL, DIV, POW, MAX, MIN,
        /** Logical and of two bools. */
        AND;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Comparisons; NaN compares unequal and unordered with everything. */
    enum CompareOp {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        CompareOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * The element at {@code index} of buffer {@code buffer}, whose elements are of {@code type}. With a
     * {@link Gather}, a data-dependent term is added to the index.
     */
    record Load(int buffer, Affine index, Gather gather, DType type) implements Scalar {
        public Load {
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(type, "type");
        }

        public Load(int buffer, Affine index, DType type) {
            this(buffer, index, null, type);
        }
    }

    /**
     * {@code stride * i}, where {@code i} is the integer {@code index} checked against {@code extent}: in
     * {@code [-extent, extent)} with negative values counting from the end when {@code negative}, else in
     * {@code [0, extent)}; out of range is a run-time error naming {@code op}.
     */
    record Gather(Scalar index, Dim extent, Dim stride, boolean negative, String op) {
        public Gather {
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(extent, "extent");
            Objects.requireNonNull(stride, "stride");
        }
    }

    /** A literal; integer and bool literals hold their value exactly in {@code value}. */
    record Const(double value, DType type) implements Scalar {
        public Const {
            Objects.requireNonNull(type, "type");
        }
    }

    /** The value of an index expression of the loop variables, as an i64. */
    record Index(Affine index) implements Scalar {
        public DType type() {
            return DType.I64;
        }
    }

    record Unary(UnaryOp op, Scalar x, double p1, double p2, DType type) implements Scalar {
        public Unary(UnaryOp op, Scalar x, DType type) {
            this(op, x, 0, 0, type);
        }
    }

    record Binary(BinaryOp op, Scalar a, Scalar b, DType type) implements Scalar {}

    record Compare(CompareOp op, Scalar a, Scalar b) implements Scalar {
        public DType type() {
            return DType.BOOL;
        }
    }

    /** {@code a} where {@code cond} is true, else {@code b}; only the chosen side is evaluated. */
    record Select(Scalar cond, Scalar a, Scalar b, DType type) implements Scalar {}

    /** Conversion to {@code type} (float to int truncates toward zero and wraps; to bool is {@code != 0}). */
    record Cast(Scalar x, DType type) implements Scalar {}

    /** In the body of a loop with a {@link Kernel.Reduction}: the reduction's result. */
    record Acc(DType type) implements Scalar {}

    /** Number of nodes, for fusion limits. */
    static int size(Scalar s) {
        return switch (s) {
            case Load l -> 1 + (l.gather() == null ? 0 : size(l.gather().index()));
            case Const c -> 1;
            case Index i -> 1;
            case Acc a -> 1;
            case Unary u -> 1 + size(u.x());
            case Binary b -> 1 + size(b.a()) + size(b.b());
            case Compare c -> 1 + size(c.a()) + size(c.b());
            case Select x -> 1 + size(x.cond()) + size(x.a()) + size(x.b());
            case Cast c -> 1 + size(c.x());
        };
    }

    /** This tree with every node rebuilt bottom-up by {@code f} (applied to children first). */
    static Scalar rewrite(Scalar s, java.util.function.UnaryOperator<Scalar> f) {
        Scalar rebuilt = switch (s) {
            case Load l -> l.gather() == null ? l
                    : new Load(l.buffer(), l.index(), new Gather(rewrite(l.gather().index(), f), l.gather().extent(), l.gather().stride(),
                            l.gather().negative(), l.gather().op()), l.type());
            case Const c -> c;
            case Index i -> i;
            case Acc a -> a;
            case Unary u -> new Unary(u.op(), rewrite(u.x(), f), u.p1(), u.p2(), u.type());
            case Binary b -> new Binary(b.op(), rewrite(b.a(), f), rewrite(b.b(), f), b.type());
            case Compare c -> new Compare(c.op(), rewrite(c.a(), f), rewrite(c.b(), f));
            case Select x -> new Select(rewrite(x.cond(), f), rewrite(x.a(), f), rewrite(x.b(), f), x.type());
            case Cast c -> new Cast(rewrite(c.x(), f), c.type());
        };
        return f.apply(rebuilt);
    }

    /** Calls {@code visit} on every node, parents before children. */
    static void forEach(Scalar s, java.util.function.Consumer<Scalar> visit) {
        visit.accept(s);
        switch (s) {
            case Load l -> {
                if (l.gather() != null) forEach(l.gather().index(), visit);
            }
            case Const c -> { }
            case Index i -> { }
            case Acc a -> { }
            case Unary u -> forEach(u.x(), visit);
            case Binary b -> {
                forEach(b.a(), visit);
                forEach(b.b(), visit);
            }
            case Compare c -> {
                forEach(c.a(), visit);
                forEach(c.b(), visit);
            }
            case Select x -> {
                forEach(x.cond(), visit);
                forEach(x.a(), visit);
                forEach(x.b(), visit);
            }
            case Cast c -> forEach(c.x(), visit);
        }
    }
}
