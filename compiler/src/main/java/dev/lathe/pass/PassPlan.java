package dev.lathe.pass;

import java.util.List;

/**
 * The compression pipeline to run, in order: one entry per (pass, target), each target reached by
 * at most one statement of each pass. Immutable.
 */
public record PassPlan(List<PlannedPass> passes) {
    public static final PassPlan EMPTY = new PassPlan(List.of());

    public PassPlan {
        passes = List.copyOf(passes);
    }

    public boolean isEmpty() {
        return passes.isEmpty();
    }

    /** The entries for one target, in pipeline order. */
    public List<PlannedPass> forTarget(String target) {
        return passes.stream().filter(p -> p.target().equals(target)).toList();
    }
}
