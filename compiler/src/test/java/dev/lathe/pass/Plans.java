package dev.lathe.pass;

import dev.lathe.api.PassStatementText;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Plans and runs pass statements written as on the command line, for tests. */
public final class Plans {
    private Plans() {}

    public static PassPlan plan(PassRegistry registry, Graph g, String... statements) {
        List<PassStatement> stmts = Arrays.stream(statements)
                .map(s -> PassStatementText.parse(s, "test", PassStatement.Origin.COMMAND_LINE))
                .toList();
        return PassPlanner.plan(registry, stmts, g, Map.of());
    }

    /** Runs the statements with the standard passes, verifying after each. */
    public static PipelineResult run(Graph g, String... statements) {
        return PassPipeline.standard().run(g, plan(PassRegistry.standard(), g, statements));
    }

    /** Runs the statements with the standard passes and the test pass {@code round}, with calibration feeds. */
    public static PipelineResult runWithRound(Graph g, List<Map<String, Tensor>> calibration, String... statements) {
        PassLibrary library = RoundWeightsPass.library();
        return new PassPipeline(library, true).run(g, plan(library.registry(), g, statements), calibration);
    }
}
