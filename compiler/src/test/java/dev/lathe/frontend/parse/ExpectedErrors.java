package dev.lathe.frontend.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the expectations of a diagnostic test snippet, in the style of Error Prone's
 * {@code // BUG: Diagnostic contains:}: a line {@code // ERROR[E0301]} says that the next line
 * that is not itself such a marker has an error with that code. Several markers may stack above
 * one line. Shared by the test suites of every stage.
 */
public final class ExpectedErrors {
    private static final Pattern MARKER = Pattern.compile("^\\s*//\\s*ERROR\\[(E\\d{4})]\\s*$");

    private ExpectedErrors() {}

    /** An expected diagnostic: its code and its 1-based line. */
    public record Expected(String code, int line) implements Comparable<Expected> {
        @Override
        public int compareTo(Expected o) {
            return line != o.line ? Integer.compare(line, o.line) : code.compareTo(o.code);
        }

        @Override
        public String toString() {
            return code + "@" + line;
        }
    }

    public static List<Expected> read(String text) {
        List<Expected> out = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (m.matches()) {
                pending.add(m.group(1));
                continue;
            }
            for (String code : pending) out.add(new Expected(code, i + 1));
            pending.clear();
        }
        if (!pending.isEmpty()) throw new IllegalArgumentException("ERROR marker " + pending + " above no line");
        return out;
    }
}
