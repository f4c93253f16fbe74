package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.Tensor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Runs a loaded model's pass pipeline for the commands that need the compressed graph. */
final class Compression {
    private Compression() {}

    /** The model's plan over its bound graph, verified after every pass; {@code calibration} feeds may be empty. */
    static PipelineResult apply(LoadedModel loaded, List<Map<String, Tensor>> calibration) {
        return PassPipeline.standard().run(Lathe.requireBound(loaded), loaded.plan(), calibration);
    }

    /** One warning per skipped target: the user asked for it and it did not happen. */
    static void warnSkipped(PrintWriter err, PipelineResult result) {
        for (TargetReport t : result.report().skipped()) {
            err.printf("warning: %s on %s skipped (%s): %s%n", t.pass(), t.target(), t.reason().kind().label(), t.reason().message());
        }
    }
}
