package dev.lathe.pass;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one rule did in a driver run (or, summed, in a pass): how often its root node class was
 * offered to it, how often it fired, and how often each no-match reason was given.
 */
public record RuleStats(String pass, String rule, int attempts, int fired, Map<String, Integer> noMatch) {
    public RuleStats {
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(rule, "rule");
        // Sorted, so that reports are deterministic.
        noMatch = Collections.unmodifiableMap(new TreeMap<>(noMatch));
    }

    public RuleStats plus(RuleStats o) {
        if (!o.rule.equals(rule) || !o.pass.equals(pass)) throw new IllegalArgumentException(o.rule + " is not " + rule);
        Map<String, Integer> reasons = new TreeMap<>(noMatch);
        o.noMatch.forEach((k, v) -> reasons.merge(k, v, Integer::sum));
        return new RuleStats(pass, rule, attempts + o.attempts, fired + o.fired, reasons);
    }

    public RuleStats withPass(String passName) {
        return new RuleStats(passName, rule, attempts, fired, noMatch);
    }

    /** Sums the stats of equal (pass, rule) pairs, keeping the order of first appearance. */
    public static List<RuleStats> merge(List<RuleStats> stats) {
        Map<String, RuleStats> byKey = new java.util.LinkedHashMap<>();
        for (RuleStats s : stats) byKey.merge(s.pass + "\u0000" + s.rule, s, RuleStats::plus);
        return List.copyOf(byKey.values());
    }
}
