package dev.lathe.pass;

import java.util.List;
import java.util.Objects;

/**
 * The report of a whole pipeline: one entry per (pass, target) in pipeline order, the rules'
 * statistics summed per pass and rule, and the graph's footprint before and after every pass.
 */
public record PassReport(List<TargetReport> targets, List<RuleStats> rules, Footprint before, Footprint after) {
    public PassReport {
        targets = List.copyOf(targets);
        rules = List.copyOf(rules);
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public List<TargetReport> skipped() {
        return targets.stream().filter(t -> !t.applied()).toList();
    }

    public List<TargetReport> applied() {
        return targets.stream().filter(TargetReport::applied).toList();
    }
}
