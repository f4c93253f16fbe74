package dev.lathe.frontend.parse;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.grammar.LatheLexer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Reports the lexer's error tokens (E0102, E0103, E0104, E0106) and turns them into harmless
 * tokens so that the parser can go on and find the syntax errors elsewhere in the file without
 * tripping over each bad character again.
 */
final class TokenScreen {
    private TokenScreen() {}

    /**
     * @param tokens  what the parser reads: every token, with error tokens replaced
     * @param errors  the lexical diagnostics, in source order (at most {@code max})
     * @param shadows where syntax errors are only echoes of a lexical error and are dropped
     */
    record Result(List<Token> tokens, List<Diagnostic> errors, Shadows shadows) {}

    /** Lines with a lexical error, and where an unterminated block comment swallows the rest. */
    static final class Shadows {
        private final Set<Integer> lines = new HashSet<>();
        private SourceSpan swallowedFrom;

        boolean covers(SourceSpan s) {
            if (lines.contains(s.line())) return true;
            return swallowedFrom != null && (s.line() > swallowedFrom.line()
                    || (s.line() == swallowedFrom.line() && s.column() >= swallowedFrom.column()));
        }
    }

    static Result screen(List<Token> lexed, Spans spans, int max) {
        List<Token> out = new ArrayList<>(lexed.size());
        // Past `max`, later lexical errors cannot be among the first `max` diagnostics of the file.
        List<Diagnostic> errors = new ArrayList<>();
        Shadows shadows = new Shadows();
        for (Token t : lexed) {
            SourceSpan at = spans.of(t);
            switch (t.getType()) {
                case LatheLexer.ERROR_CHAR -> {
                    add(errors, max, Diagnostic.error(ErrorCode.E0102, at, invalidCharacter(t.getText())));
                    shadows.lines.add(t.getLine());
                    out.add(replaced(t, t.getType(), Token.HIDDEN_CHANNEL));
                }
                case LatheLexer.UNTERMINATED_STRING -> {
                    add(errors, max, Diagnostic.error(ErrorCode.E0103, at,
                            "unterminated string: a string must end with '\"' on the same line"));
                    shadows.lines.add(t.getLine());
                    out.add(replaced(t, LatheLexer.STRING, Token.DEFAULT_CHANNEL));
                }
                case LatheLexer.UNTERMINATED_COMMENT -> {
                    add(errors, max, Diagnostic.error(ErrorCode.E0103, spans.at(t.getLine(), t.getCharPositionInLine() + 1, 2),
                            "unterminated block comment: '/*' is never closed by '*/'"));
                    // Everything after it is swallowed by the comment, so what the parser misses there is no news.
                    shadows.swallowedFrom = spans.of(t);
                    out.add(t);
                }
                case LatheLexer.BAD_NUMBER -> {
                    add(errors, max, Diagnostic.error(ErrorCode.E0104, at, badNumber(t.getText())));
                    shadows.lines.add(t.getLine());
                    out.add(replaced(t, LatheLexer.INT, Token.DEFAULT_CHANNEL));
                }
                case LatheLexer.INT -> {
                    if (!fitsLong(t.getText())) {
                        add(errors, max, Diagnostic.error(ErrorCode.E0104, at,
                                "integer literal " + t.getText() + " is too large (the largest is " + Long.MAX_VALUE + ")"));
                    }
                    out.add(t);
                }
                case LatheLexer.FLOAT -> {
                    if (Double.isInfinite(Double.parseDouble(t.getText()))) {
                        add(errors, max, Diagnostic.error(ErrorCode.E0104, at, "float literal " + t.getText() + " is out of range"));
                    }
                    out.add(t);
                }
                case LatheLexer.STRING -> {
                    for (int offset : StringLiterals.badEscapes(t.getText())) {
                        String escape = t.getText().substring(offset, Math.min(offset + 2, t.getText().length()));
                        add(errors, max, Diagnostic.error(ErrorCode.E0106,
                                spans.at(t.getLine(), t.getCharPositionInLine() + 1 + offset, escape.length()),
                                "invalid escape '" + escape + "' in string: only \\\" and \\\\ are allowed"));
                    }
                    out.add(t);
                }
                default -> out.add(t);
            }
        }
        return new Result(out, errors, shadows);
    }

    private static void add(List<Diagnostic> errors, int max, Diagnostic d) {
        if (errors.size() < max) errors.add(d);
    }

    private static Token replaced(Token t, int type, int channel) {
        CommonToken copy = new CommonToken(t);
        copy.setType(type);
        copy.setChannel(channel);
        return copy;
    }

    private static boolean fitsLong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String invalidCharacter(String text) {
        int cp = text.codePointAt(0);
        boolean invisible = cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp) || Character.isSpaceChar(cp);
        String shown = invisible ? String.format("U+%04X", cp) : cp == '\'' ? "\"'\"" : "'" + text + "'";
        String hint = switch (text) {
            case "&" -> " (did you mean '&&'?)";
            case "|" -> " (did you mean '||'?)";
            case "'" -> " (strings use double quotes)";
            default -> "";
        };
        return "invalid character " + shown + hint;
    }

    private static String badNumber(String text) {
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        boolean danglingExponent = e > 0 && text.substring(e + 1).replaceFirst("^[+-]", "").isEmpty();
        if (danglingExponent) return "invalid number literal '" + text + "': the exponent has no digits";
        return "invalid number literal '" + text + "': a number cannot be followed directly by letters";
    }
}
