package dev.lathe.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading pass reports in tests: the one target, a target by path, a certificate's value. */
public final class Reports {
    private Reports() {}

    public static TargetReport only(PipelineResult r) {
        assertEquals(1, r.report().targets().size());
        return r.report().targets().getFirst();
    }

    public static TargetReport target(PipelineResult r, String path) {
        return r.report().targets().stream().filter(t -> t.target().equals(path)).findFirst().orElseThrow();
    }

    public static double bound(TargetReport t, String quantity) {
        return t.certificate().stream().filter(e -> e.quantity().equals(quantity)).mapToDouble(ErrorBound::value).findFirst().orElseThrow();
    }
}
