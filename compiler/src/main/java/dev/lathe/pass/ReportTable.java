package dev.lathe.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link PassReport} as text for the terminal ({@code lathe report}): a table with one row per
 * (pass, target) and a total row (its result column says the rank of a lowrank target, the bits and
 * granularity of a quantized one), then per target its rule, its error certificate or the reason
 * it was skipped. FLOPs are symbolic in the graph's named dims, as {@link dev.lathe.ir.Costs} counts them.
 */
public final class ReportTable {
    private ReportTable() {}

    public static String render(PassReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"pass", "target", "result", "params", "bytes", "FLOPs"});
        for (TargetReport t : report.targets()) {
            rows.add(new String[] {t.pass(), t.target(), result(t), change(t.before().params(), t.after().params()),
                    change(t.before().bytes(), t.after().bytes()), t.before().flops() + " -> " + t.after().flops()});
        }
        Footprint b = report.before();
        Footprint a = report.after();
        rows.add(new String[] {"total", "", "", change(b.params(), a.params()), change(b.bytes(), a.bytes()), b.flops() + " -> " + a.flops()});
        StringBuilder out = new StringBuilder();
        table(out, rows);
        boolean separate = true;
        for (TargetReport t : report.targets()) {
            // Skipped targets take one line each; an applied one is a block, set off by blank lines.
            if (separate || t.applied()) out.append('\n');
            separate = t.applied();
            out.append(t.target()).append(" (").append(t.pass());
            if (t.details().get("rule") instanceof String rule) out.append(", ").append(rule);
            out.append(')');
            if (!t.applied()) {
                out.append(": skipped, ").append(t.reason()).append('\n');
                continue;
            }
            out.append('\n');
            for (Map.Entry<String, Object> d : t.details().entrySet()) {
                // The rule line above already says the rank.
                if (!d.getKey().equals("rule") && !d.getKey().equals("rank")) out.append("  ").append(d.getKey()).append(": ").append(d.getValue()).append('\n');
            }
            for (ErrorBound e : t.certificate()) out.append("  ").append(e).append('\n');
        }
        return out.toString();
    }

    private static String result(TargetReport t) {
        if (!t.applied()) return "skipped (" + t.reason().kind().label() + ")";
        if (t.details().get("bits") instanceof Long bits && t.details().get("granularity") instanceof String granularity) {
            // quantize: the bits and granularity each tensor got, as "rank r" says for lowrank
            return "int" + bits + " " + granularity + (t.details().get("scheme") instanceof String scheme ? " " + scheme : "");
        }
        return t.details().get("rank") instanceof Long r ? "rank " + r : "applied";
    }

    private static String change(long before, long after) {
        if (before == after) return Long.toString(before);
        String pct = before == 0 ? "" : String.format(java.util.Locale.ROOT, " (%+.1f%%)", 100.0 * (after - before) / before);
        return before + " -> " + after + pct;
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
