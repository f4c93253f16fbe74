package dev.lathe.pass;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.Diagnostics;
import dev.lathe.diag.ErrorCode;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Turns pass statements (already in pipeline order: annotations in source order, then the
 * {@code passes} section, then the CLI and build configuration) into a {@link PassPlan}
 * (LANGUAGE.md §7). Every statement is checked and every problem reported at once: unknown pass
 * (E0501), selector matching nothing (E0502), unknown argument (E0503), bad or conflicting
 * argument values (E0504).
 *
 * <p>A later statement of the same pass on the same target replaces the earlier one, and the
 * entry takes the later statement's position in the pipeline: it runs where the user last asked
 * for it, so that {@code --pass} on the command line behaves as if appended to the file. Within one
 * statement, targets come in graph order (params as the graph declares them, instances in the
 * order of {@code instanceKinds}), each once however many of its selectors match it.
 */
public final class PassPlanner {
    private static final int SUGGESTIONS = 3;

    private PassPlanner() {}

    /** Plans against the {@linkplain PassRegistry#standard() standard} passes. */
    public static PassPlan plan(List<PassStatement> statements, Graph graph, Map<String, String> instanceKinds) {
        return plan(PassRegistry.standard(), statements, graph, instanceKinds);
    }

    /**
     * @param instanceKinds every block or op instance of the graph, instance path to the block or
     *     op name ({@code blk.0.a -> attention}, {@code blk.0.mlp -> Mlp}), in source order
     * @throws DiagnosticException with every E05xx problem found
     */
    public static PassPlan plan(PassRegistry registry, List<PassStatement> statements, Graph graph,
                                Map<String, String> instanceKinds) {
        Diagnostics diagnostics = new Diagnostics();
        List<String> paramPaths = graph.params().stream().map(Param::path).toList();
        Map<PlanKey, PlannedPass> planned = new LinkedHashMap<>();
        for (PassStatement statement : statements) {
            var info = registry.lookup(statement.pass());
            if (info.isEmpty()) {
                diagnostics.error(ErrorCode.E0501, statement.span(), "unknown pass " + statement.pass() + "; valid passes: "
                        + String.join(", ", Closest.rank(statement.pass(), registry.names(), Integer.MAX_VALUE)));
                continue;
            }
            PassInfo pass = info.get();
            var resolution = ArgResolver.resolve(pass, statement.args());
            for (var problem : resolution.problems()) diagnostics.error(problem.code(), statement.span(), problem.message());
            SequencedSet<String> targets = targets(pass, statement, paramPaths, instanceKinds, diagnostics);
            if (!resolution.problems().isEmpty()) continue;
            for (String target : targets) {
                PlanKey key = new PlanKey(pass.name(), target);
                planned.remove(key);   // re-inserted below: the later statement's position
                planned.put(key, new PlannedPass(pass, resolution.args(), target, statement));
            }
        }
        diagnostics.throwIfErrors();
        return new PassPlan(new ArrayList<>(planned.values()));
    }

    private record PlanKey(String pass, String target) {}

    private static SequencedSet<String> targets(PassInfo pass, PassStatement statement, List<String> paramPaths,
                                                Map<String, String> instanceKinds, Diagnostics diagnostics) {
        List<String> candidates = pass.target() == TargetKind.PARAM
                ? paramPaths
                : instanceKinds.entrySet().stream().filter(e -> pass.instanceKinds().contains(e.getValue())).map(Map.Entry::getKey).toList();
        if (statement.selectors().isEmpty()) {
            diagnostics.error(ErrorCode.E0502, statement.span(), pass.name() + " has no selector");
        }
        List<Glob> globs = statement.selectors().stream().map(Glob::of).toList();
        for (Glob glob : globs) {
            if (candidates.stream().noneMatch(c -> selects(pass, glob, c, instanceKinds))) {
                diagnostics.report(nothingMatched(pass, statement, glob, candidates, instanceKinds));
            }
        }
        SequencedSet<String> targets = new LinkedHashSet<>();
        for (String candidate : candidates) {
            if (globs.stream().anyMatch(g -> selects(pass, g, candidate, instanceKinds))) targets.add(candidate);
        }
        return targets;
    }

    /**
     * Whether {@code glob} selects {@code candidate}. An instance pass also selects the instances
     * inside a block instance the glob names: {@code @kernelize} before
     * {@code x = TransformerEncoderLayer(...)} kernelizes the attention inside that layer.
     */
    private static boolean selects(PassInfo pass, Glob glob, String candidate, Map<String, String> instanceKinds) {
        if (glob.matches(candidate)) return true;
        if (pass.target() != TargetKind.INSTANCE) return false;
        for (String enclosing : instanceKinds.keySet()) {
            if (candidate.startsWith(enclosing + ".") && glob.matches(enclosing)) return true;
        }
        return false;
    }

    private static Diagnostic nothingMatched(PassInfo pass, PassStatement statement, Glob glob, List<String> candidates,
                                             Map<String, String> instanceKinds) {
        String what = pass.target() == TargetKind.PARAM ? "param" : String.join(" or ", pass.instanceKinds().stream().sorted().toList()) + " instance";
        String message = "selector \"" + glob + "\" of " + pass.name() + " matches no " + what;
        message += candidates.isEmpty()
                ? "; the graph has none"
                : "; closest: " + String.join(", ", Closest.rank(glob.pattern(), candidates, SUGGESTIONS));
        Diagnostic d = Diagnostic.error(ErrorCode.E0502, statement.span(), message);
        if (pass.target() == TargetKind.INSTANCE) {
            // Name what the selector did match, so the user sees it names instances of other kinds.
            List<String> others = instanceKinds.entrySet().stream()
                    .filter(e -> glob.matches(e.getKey()))
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .limit(SUGGESTIONS).toList();
            if (!others.isEmpty()) {
                d = d.withNote("it matches only instances of other kinds: " + String.join(", ", others), null);
            }
        }
        return d;
    }
}
