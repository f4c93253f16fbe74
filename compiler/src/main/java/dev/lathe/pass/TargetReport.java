package dev.lathe.pass;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report of one pass on one target (LANGUAGE.md §7, DESIGN.md §5): the pass and its resolved
 * arguments, the target, whether it was applied, the footprint before and after (equal when
 * skipped), the error certificate, the reason when skipped, and pass-specific details (the rank
 * chosen, the names of new params) as text or numbers in a stable order.
 */
public record TargetReport(String pass, String target, Map<String, Object> args, Status status, SkipReason reason,
                           Footprint before, Footprint after, List<ErrorBound> certificate, Map<String, Object> details) {
    public enum Status { APPLIED, SKIPPED }

    public TargetReport {
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        certificate = List.copyOf(certificate);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        if ((status == Status.SKIPPED) != (reason != null)) throw new IllegalArgumentException("a reason is given exactly when skipped");
    }

    public static TargetReport applied(PlannedPass planned, Footprint before, Footprint after, List<ErrorBound> certificate,
                                       Map<String, Object> details) {
        return new TargetReport(planned.passName(), planned.target(), planned.args(), Status.APPLIED, null, before, after, certificate, details);
    }

    /** The target left as it was; {@code footprint} is its size and cost, the same before and after. */
    public static TargetReport skipped(PlannedPass planned, SkipReason reason, Footprint footprint, Map<String, Object> details) {
        return new TargetReport(planned.passName(), planned.target(), planned.args(), Status.SKIPPED, reason, footprint, footprint, List.of(),
                details);
    }

    public boolean applied() {
        return status == Status.APPLIED;
    }
}
