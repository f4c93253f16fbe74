package dev.lathe.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict RFC 8259 JSON subset reader and string quoting that safetensors headers need.
 *
 * <p>Hand-written because the runtime jar depends on the JDK only (DESIGN.md §2), and because the
 * reader must do what general-purpose libraries do not by default: reject duplicate object keys, bound
 * nesting depth (a hostile header must not overflow the stack), and keep numbers as text so that a
 * caller can demand an exact non-negative integer.
 *
 * <p>Values are returned as: {@code Map<String, Object>} (insertion-ordered) for objects,
 * {@code List<Object>} for arrays, {@code String}, {@link Num}, {@code Boolean}, and {@link #NULL}.
 */
final class Json {
    /** JSON {@code null}; a sentinel so that maps and lists never hold Java null. */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    static final int MAX_DEPTH = 64;

    /** A number exactly as written. */
    record Num(String text) {
        /** True when written without fraction or exponent. */
        boolean isInteger() {
            return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        }

        @Override public String toString() { return text; }
    }

    /** Malformed JSON; {@code offset} is the character index where reading stopped. */
    static final class SyntaxException extends Exception {
        final int offset;

        SyntaxException(String message, int offset) {
            super(message + " at character " + offset);
            this.offset = offset;
        }
    }

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one value that may be surrounded by JSON whitespace, and nothing else. */
    static Object parse(String text) throws SyntaxException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw new SyntaxException("unexpected text after the JSON value", p.pos);
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (pos >= text.length()) throw new SyntaxException("unexpected end of JSON", pos);
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw new SyntaxException("unexpected character " + describe(c), pos);
            }
        };
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        checkDepth(depth);
        int start = pos;
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw new SyntaxException("expected a string key in the object opened at character " + start, pos);
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (members.putIfAbsent(key, v) != null) {
                throw new SyntaxException("duplicate key \"" + key + "\"", keyAt);
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return members;
            if (c != ',') throw new SyntaxException("expected ',' or '}'", pos - 1);
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return items;
            if (c != ',') throw new SyntaxException("expected ',' or ']'", pos - 1);
        }
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) throw new SyntaxException("nesting deeper than " + MAX_DEPTH, pos);
    }

    private String string() throws SyntaxException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) throw new SyntaxException("unterminated string", start);
            char c = text.charAt(pos);
            if (c == '"') {
                String run = text.substring(runStart, pos);
                pos++;
                return sb == null ? run : sb.append(run).toString();
            }
            if (c < 0x20) throw new SyntaxException("control character " + describe(c) + " inside a string", pos);
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(text, runStart, pos);
            pos++;
            if (pos >= text.length()) throw new SyntaxException("unterminated string", start);
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> appendUnicodeEscape(sb);
                default -> throw new SyntaxException("invalid escape \\" + e, pos - 2);
            }
            runStart = pos;
        }
    }

    /** Reads XXXX after {@code \\u}; a surrogate must come as a proper pair, as serde_json demands. */
    private void appendUnicodeEscape(StringBuilder sb) throws SyntaxException {
        int at = pos - 2;
        char c = hex4();
        if (Character.isHighSurrogate(c)) {
            if (text.startsWith("\\u", pos)) {
                pos += 2;
                char low = hex4();
                if (Character.isLowSurrogate(low)) {
                    sb.append(c).append(low);
                    return;
                }
            }
            throw new SyntaxException("unpaired surrogate in \\u escape", at);
        }
        if (Character.isLowSurrogate(c)) throw new SyntaxException("unpaired surrogate in \\u escape", at);
        sb.append(c);
    }

    private char hex4() throws SyntaxException {
        if (pos + 4 > text.length()) throw new SyntaxException("truncated \\u escape", pos);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw new SyntaxException("invalid hex digit in \\u escape", pos + i);
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Num number() throws SyntaxException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw new SyntaxException("invalid number", start);
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) throw new SyntaxException("invalid number: digit expected after '.'", pos);
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw new SyntaxException("invalid number: digit expected in exponent", pos);
            while (isDigit(peek())) pos++;
        }
        return new Num(text.substring(start, pos));
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, pos)) throw new SyntaxException("invalid literal, expected " + word, pos);
        pos += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) throw new SyntaxException("expected '" + c + "'", pos);
        pos++;
    }

    /** The current character, or NUL at the end (NUL is never valid where a token is expected). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** {@code s} as a JSON string literal; non-ASCII text is kept as is (the header is UTF-8). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                        if (!paired) throw new IllegalArgumentException("string has an unpaired surrogate at index " + i + ": " + s);
                        sb.append(c).append(s.charAt(++i));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
