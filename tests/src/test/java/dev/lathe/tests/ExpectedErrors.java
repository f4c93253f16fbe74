package dev.lathe.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code // ERROR[E0301]} markers from a .model snippet (Error Prone style): each marker
 * expects that error code on the next line that is not itself a marker.
 */
record ExpectedErrors(List<Expected> errors) {
    private static final Pattern MARKER = Pattern.compile("^\\s*//\\s*ERROR\\[(E\\d{4})]");

    record Expected(String code, int line) {}

    static ExpectedErrors read(String text) {
        String[] lines = text.split("\n", -1);
        List<Expected> out = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (m.find()) {
                pending.add(m.group(1));
            } else if (!pending.isEmpty()) {
                for (String code : pending) out.add(new Expected(code, i + 1));
                pending.clear();
            }
        }
        return new ExpectedErrors(List.copyOf(out));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }
}
