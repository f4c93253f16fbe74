package dev.lathe.tornado;

/** Java source literals for constants baked into the emitted code. */
final class JavaLiterals {
    private JavaLiterals() {}

    static String dbl(double v) {
        if (Double.isNaN(v)) return "Double.NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        return "(" + Double.toString(v) + ")";
    }

    static String lng(long v) {
        return v == Long.MIN_VALUE ? "Long.MIN_VALUE" : "(" + v + "L)";
    }

    /** A Java string literal. */
    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
