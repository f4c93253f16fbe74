package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;

/**
 * {@code {name}} interpolation in {@code named} and {@code assert} strings (LANGUAGE.md §2).
 * Decisions: a brace always opens an interpolation (there is no escape for a literal brace); the
 * name inside may be qualified ({@code {nn.D}}) and surrounding blanks are ignored; ints and
 * dims print as {@link dev.lathe.ir.Dim#toString}, floats as Java prints doubles, bools as
 * {@code true}/{@code false}, strings unquoted. An unbalanced brace or an empty or malformed name
 * is E0106; an unknown name is E0201 (reported by {@code lookup}); a tensor is E0308.
 */
final class Interpolator {
    private Interpolator() {}

    /** {@code lookup} returns the value of a name or throws an {@link ElabError} (E0201). */
    static String interpolate(String text, SourceSpan span, ConstEvaluator.Lookup lookup) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}') throw unbalanced(text, span);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i + 1);
            int nextOpen = text.indexOf('{', i + 1);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close)) throw unbalanced(text, span);
            String name = text.substring(i + 1, close).strip();
            if (!isName(name)) {
                throw new ElabError(ErrorCode.E0106, span, "\"{" + text.substring(i + 1, close) + "}\" in \"" + text
                        + "\" is not a name to interpolate");
            }
            Val v = lookup.get(name, span);
            if (v instanceof Val.Tensor || v instanceof Val.Absent) {
                throw new ElabError(ErrorCode.E0308, span, "cannot interpolate " + name + ": it is a "
                        + Val.describe(v) + ", not a compile-time value");
            }
            out.append(Val.show(v));
            i = close + 1;
        }
        return out.toString();
    }

    /**
     * Checks the braces of a {@code rename} pattern, whose {@code {i}} placeholders are left for
     * the weights binder to match.
     */
    static void checkBalanced(String text, SourceSpan span) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            if (c == '}') depth--;
            if (depth < 0 || depth > 1) throw unbalanced(text, span);
        }
        if (depth != 0) throw unbalanced(text, span);
    }

    /** An identifier {@code [A-Za-z_][A-Za-z0-9_]*}, possibly qualified by an import alias. */
    private static boolean isName(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    }

    private static ElabError unbalanced(String text, SourceSpan span) {
        return new ElabError(ErrorCode.E0106, span, "unbalanced brace in \"" + text + "\"");
    }
}
