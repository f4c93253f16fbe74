package dev.lathe.pass;

import java.util.List;
import java.util.stream.Collectors;

/** Pass argument values as a user writes them in a pass statement, for diagnostics and docs. */
final class ValueText {
    private ValueText() {}

    static String of(Object value) {
        return switch (value) {
            case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Double d -> formatDouble(d);
            case List<?> l -> l.stream().map(ValueText::of).collect(Collectors.joining(", ", "[", "]"));
            case null -> "none";
            default -> value.toString();
        };
    }

    // 0.1 rather than 0.1000000000000000055..., and 1e-05 rather than 1.0E-5: the source spelling.
    private static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d) + ".0";
        return Double.toString(d).replace("E", "e");
    }
}
