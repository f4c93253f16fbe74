package dev.lathe.frontend.parse;

import java.util.ArrayList;
import java.util.List;

/** The two escapes of LANGUAGE.md §2, {@code \"} and {@code \\}, in both directions. */
final class StringLiterals {
    private StringLiterals() {}

    /** The value of a lexed string token (quotes included); escapes were validated by {@link #badEscapes}. */
    static String unquote(String token) {
        int end = token.length() > 1 && token.endsWith("\"") && !escapedAt(token, token.length() - 1) ? token.length() - 1 : token.length();
        StringBuilder sb = new StringBuilder(end);
        for (int i = 1; i < end; i++) {
            char c = token.charAt(i);
            if (c == '\\' && i + 1 < end) c = token.charAt(++i);
            sb.append(c);
        }
        return sb.toString();
    }

    /** Offsets in {@code token} of backslashes that start an escape other than {@code \"} or {@code \\}. */
    static List<Integer> badEscapes(String token) {
        List<Integer> bad = new ArrayList<>();
        for (int i = 1; i < token.length(); i++) {
            if (token.charAt(i) != '\\') continue;
            char next = i + 1 < token.length() ? token.charAt(i + 1) : '\0';
            if (next != '"' && next != '\\') bad.add(i);
            i++;
        }
        return bad;
    }

    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean escapedAt(String token, int index) {
        int backslashes = 0;
        for (int i = index - 1; i > 0 && token.charAt(i) == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }
}
