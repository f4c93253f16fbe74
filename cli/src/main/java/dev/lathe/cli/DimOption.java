package dev.lathe.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeated {@code --dim NAME=N} options. */
final class DimOption {
    private DimOption() {}

    static Map<String, Long> parse(List<String> specs) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new UserError("--dim expects NAME=N, got '" + s + "'");
            try {
                long v = Long.parseLong(s.substring(eq + 1).trim());
                if (v < 0) throw new NumberFormatException();
                out.put(s.substring(0, eq).trim(), v);
            } catch (NumberFormatException e) {
                throw new UserError("--dim " + s + ": N must be a non-negative integer");
            }
        }
        return out;
    }
}
