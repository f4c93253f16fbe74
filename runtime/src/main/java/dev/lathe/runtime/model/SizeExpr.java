package dev.lathe.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A symbolic size as the compiler prints it ({@code 256}, {@code B}, {@code 2 * S}, {@code B * S - 1},
 * {@code (S + 1) / 2}, {@code H // 2}): integers, named dims, {@code + - *}, exact division {@code /}
 * (which must divide once the names are known) and floor division {@code //}. Immutable.
 *
 * <p>The runtime cannot see the compiler's {@code Dim}, so compiled models carry sizes as this text
 * and evaluate it from the named dims that the inputs bind.
 */
public abstract sealed class SizeExpr {
    private SizeExpr() {}

    /** Parses the text form; throws {@link IllegalArgumentException} on anything else. */
    public static SizeExpr parse(String text) {
        Parser p = new Parser(text);
        SizeExpr e = p.sum();
        p.skipSpaces();
        if (p.pos != text.length()) throw new IllegalArgumentException("unexpected '" + text.substring(p.pos) + "' in size " + text);
        return e;
    }

    /**
     * The value with every name given. Throws {@link ArithmeticException} when an exact division
     * does not divide or a value overflows, {@link IllegalArgumentException} when a name is unset.
     */
    public abstract long evaluate(Map<String, Long> env);

    /** Names used, sorted. */
    public Set<String> variables() {
        Set<String> out = new TreeSet<>();
        collect(out);
        return out;
    }

    abstract void collect(Set<String> out);

    public boolean isConstant() {
        return variables().isEmpty();
    }

    /** Whether this is a bare name; then {@link #name()} gives it. */
    public boolean isVariable() {
        return this instanceof Var;
    }

    public String name() {
        if (this instanceof Var v) return v.name;
        throw new IllegalStateException(this + " is not a name");
    }

    static final class Const extends SizeExpr {
        final long value;

        Const(long value) { this.value = value; }

        @Override public long evaluate(Map<String, Long> env) { return value; }
        @Override void collect(Set<String> out) {}
        @Override public String toString() { return Long.toString(value); }
    }

    static final class Var extends SizeExpr {
        final String name;

        Var(String name) { this.name = name; }

        @Override public long evaluate(Map<String, Long> env) {
            Long v = env.get(name);
            if (v == null) throw new IllegalArgumentException("dim " + name + " has no value");
            return v;
        }

        @Override void collect(Set<String> out) { out.add(name); }
        @Override public String toString() { return name; }
    }

    static final class Op extends SizeExpr {
        final char op; // + - * / f (floor division) n (negate)
        final SizeExpr a, b;

        Op(char op, SizeExpr a, SizeExpr b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override public long evaluate(Map<String, Long> env) {
            long x = a.evaluate(env);
            if (op == 'n') return Math.negateExact(x);
            long y = b.evaluate(env);
            return switch (op) {
                case '+' -> Math.addExact(x, y);
                case '-' -> Math.subtractExact(x, y);
                case '*' -> Math.multiplyExact(x, y);
                case '/' -> {
                    if (y == 0) throw new ArithmeticException("division by zero in " + this);
                    if (x % y != 0) throw new ArithmeticException(this + " = " + x + " / " + y + " does not divide exactly");
                    yield x / y;
                }
                case 'f' -> {
                    if (y == 0) throw new ArithmeticException("division by zero in " + this);
                    yield Math.floorDiv(x, y);
                }
                default -> throw new AssertionError(op);
            };
        }

        @Override void collect(Set<String> out) {
            a.collect(out);
            if (b != null) b.collect(out);
        }

        @Override public String toString() {
            if (op == 'n') return "-(" + a + ")";
            return "(" + a + " " + (op == 'f' ? "//" : String.valueOf(op)) + " " + b + ")";
        }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') pos++;
        }

        boolean eat(String token) {
            skipSpaces();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        SizeExpr sum() {
            SizeExpr e = product();
            while (true) {
                if (eat("+")) e = new Op('+', e, product());
                else if (eat("-")) e = new Op('-', e, product());
                else return e;
            }
        }

        SizeExpr product() {
            SizeExpr e = unary();
            while (true) {
                if (eat("*")) e = new Op('*', e, unary());
                else if (eat("//")) e = new Op('f', e, unary());
                else if (eat("/")) e = new Op('/', e, unary());
                else return e;
            }
        }

        SizeExpr unary() {
            if (eat("-")) return new Op('n', unary(), null);
            return atom();
        }

        SizeExpr atom() {
            skipSpaces();
            if (eat("(")) {
                SizeExpr e = sum();
                if (!eat(")")) throw new IllegalArgumentException("missing ')' in size " + s);
                return e;
            }
            int start = pos;
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                return new Const(Long.parseLong(s.substring(start, pos)));
            }
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) pos++;
            if (pos == start) throw new IllegalArgumentException("expected a number or a name at " + start + " in size " + s);
            return new Var(s.substring(start, pos));
        }
    }

    /** Parses every text of {@code texts}. */
    public static List<SizeExpr> parseAll(List<String> texts) {
        List<SizeExpr> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(parse(t));
        return out;
    }
}
