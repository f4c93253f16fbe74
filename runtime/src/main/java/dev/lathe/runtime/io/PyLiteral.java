package dev.lathe.runtime.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the few Python literals a .npy header uses: dicts with string keys, tuples, lists, strings,
 * integers, {@code True}, {@code False} and {@code None}, as {@code ast.literal_eval} would. Nothing is
 * ever evaluated.
 *
 * <p>Hand-written because the runtime jar depends on the JDK only (DESIGN.md §2). Stricter than
 * Python where leniency only helps an attacker: duplicate dict keys are rejected and nesting is bounded.
 *
 * <p>Values: {@code Map<String, Object>} (ordered), {@link Tuple}, {@code List<Object>}, {@code String},
 * {@code BigInteger}, {@code Boolean}, {@link #NONE}.
 */
final class PyLiteral {
    static final Object NONE = new Object() {
        @Override public String toString() { return "None"; }
    };

    static final int MAX_DEPTH = 32;

    record Tuple(List<Object> items) {
        @Override public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) sb.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    static final class SyntaxException extends Exception {
        SyntaxException(String message, int offset) {
            super(message + " at character " + offset);
        }
    }

    private final String text;
    private int pos;

    private PyLiteral(String text) {
        this.text = text;
    }

    /** Parses one literal, optionally surrounded by whitespace. */
    static Object parse(String text) throws SyntaxException {
        PyLiteral p = new PyLiteral(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw new SyntaxException("unexpected text after the literal", p.pos);
        return v;
    }

    /** A Python-like rendering for error messages. */
    static String repr(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private Object value(int depth) throws SyntaxException {
        char c = peek();
        if ((c == '{' || c == '(' || c == '[') && depth + 1 > MAX_DEPTH) throw new SyntaxException("nesting deeper than " + MAX_DEPTH, pos);
        if (c == '{') return dict(depth + 1);
        if (c == '(') return parenthesized(depth + 1);
        if (c == '[') return sequence(']', depth + 1).items();
        if (c == '\'' || c == '"') return string();
        if (c == '-' || c == '+' || isDigit(c)) return integer();
        if (Character.isLetter(c)) {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            String word = text.substring(start, pos);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> NONE;
                default -> throw new SyntaxException("unsupported name '" + word + "' (only literals are allowed)", start);
            };
        }
        throw new SyntaxException(pos >= text.length() ? "unexpected end of text" : "unexpected character '" + c + "'", pos);
    }

    private Map<String, Object> dict(int depth) throws SyntaxException {
        pos++; // '{'
        Map<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        while (peek() != '}') {
            int keyAt = pos;
            if (!(value(depth) instanceof String key)) throw new SyntaxException("dict keys must be strings", keyAt);
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (out.putIfAbsent(key, v) != null) throw new SyntaxException("duplicate key '" + key + "'", keyAt);
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                skipWhitespace();
            } else if (peek() != '}') {
                throw new SyntaxException("expected ',' or '}'", pos);
            }
        }
        pos++;
        return out;
    }

    /** {@code ()} and {@code (a,)} and {@code (a, b)} are tuples; {@code (a)} is just {@code a}. */
    private Object parenthesized(int depth) throws SyntaxException {
        Sequence seq = sequence(')', depth);
        if (seq.items().size() == 1 && !seq.trailingComma()) return seq.items().get(0);
        return new Tuple(List.copyOf(seq.items()));
    }

    private record Sequence(List<Object> items, boolean trailingComma) {}

    /** Comma-separated values up to {@code close}, a trailing comma allowed; consumes the closer. */
    private Sequence sequence(char close, int depth) throws SyntaxException {
        pos++; // opener
        List<Object> items = new ArrayList<>();
        boolean trailingComma = false;
        skipWhitespace();
        while (peek() != close) {
            items.add(value(depth));
            trailingComma = false;
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                trailingComma = true;
                skipWhitespace();
            } else if (peek() != close) {
                throw new SyntaxException("expected ',' or '" + close + "'", pos);
            }
        }
        pos++;
        return new Sequence(items, trailingComma);
    }

    private String string() throws SyntaxException {
        char quote = text.charAt(pos);
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw new SyntaxException("unterminated string", start);
            char c = text.charAt(pos++);
            if (c == quote) return sb.toString();
            if (c == '\n') throw new SyntaxException("line break inside a string", pos - 1);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw new SyntaxException("unterminated string", start);
            char e = text.charAt(pos++);
            switch (e) {
                case '\\', '\'', '"' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                default -> throw new SyntaxException("unsupported escape \\" + e, pos - 2);
            }
        }
    }

    private int hex(int digits) throws SyntaxException {
        if (pos + digits > text.length()) throw new SyntaxException("truncated escape", pos);
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) throw new SyntaxException("invalid hex digit in escape", pos - 1);
            v = v * 16 + d;
        }
        return v;
    }

    private BigInteger integer() throws SyntaxException {
        int start = pos;
        if (peek() == '-' || peek() == '+') pos++;
        int digitsAt = pos;
        while (isDigit(peek())) pos++;
        if (pos == digitsAt) throw new SyntaxException("digit expected", pos);
        if (pos - digitsAt > 1 && text.charAt(digitsAt) == '0') throw new SyntaxException("leading zeros are not allowed", digitsAt);
        BigInteger v = new BigInteger(text.substring(start, pos));
        // numpy files written by Python 2 spell long integers 3L; numpy itself still reads them.
        if (peek() == 'L') pos++;
        if (peek() == '.' || peek() == 'e' || peek() == 'E' || peek() == 'j') throw new SyntaxException("only integers are supported", start);
        return v;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) throw new SyntaxException("expected '" + c + "'", pos);
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\n\r\f".indexOf(text.charAt(pos)) >= 0) pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
