package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.Diagnostics;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.GraphBuilder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** State shared by every part of one elaboration: diagnostics, limits, the graph being built, counters. */
final class ElabContext {
    /**
     * A diagnostic from deep recursion would otherwise carry one note per level (200); the
     * innermost instances are the useful ones.
     */
    static final int MAX_INSTANCE_NOTES = 8;

    private final Diagnostics diagnostics = new Diagnostics();
    private final Set<Diagnostic> reported = new HashSet<>();
    private final ElaborationOptions options;
    private final InstanceRegistry instances = new InstanceRegistry();
    private final PassCollector passes = new PassCollector();
    private final Map<String, DimBounds> declaredDims = new LinkedHashMap<>();
    private GraphBuilder builder;
    private long nodes;
    private long repeatIterations;

    ElabContext(ElaborationOptions options) {
        this.options = options;
    }

    ElaborationOptions.Limits limits() { return options.limits(); }

    InstanceRegistry instances() { return instances; }

    PassCollector passes() { return passes; }

    GraphBuilder builder() { return builder; }

    void startGraph(String name) {
        builder = new GraphBuilder(name);
        declaredDims.forEach((n, b) -> builder.dim(n, b.lo(), b.hi()));
    }

    /**
     * Declares a named dim. Dims are global by name (a {@code Dim} variable is just its name), so
     * two modules declaring one name must agree on its bounds, else E0202.
     */
    void declareDim(String name, DimBounds bounds, SourceSpan span) {
        DimBounds first = declaredDims.putIfAbsent(name, bounds);
        if (first != null && !first.equals(bounds)) {
            throw new ElabError(ErrorCode.E0202, span, "dim " + name + " is declared again with other bounds (" + first
                    + " before, " + bounds + " here)");
        }
        if (builder != null) builder.dim(name, bounds.lo(), bounds.hi());
    }

    /** Reports a diagnostic once: a statement unrolled by {@code repeat} may raise the same one again. */
    void report(Diagnostic d) {
        if (reported.add(d)) diagnostics.report(d);
    }

    void report(ElabError e) {
        if (e.diagnostic() != null) report(e.diagnostic());
    }

    /** Reports an error raised inside {@code frame} unless it is a suppressed one. */
    void reportIn(Frame frame, ElabError e) {
        if (e.diagnostic() != null) reportIn(frame, e.diagnostic());
    }

    /** Reports a diagnostic raised inside {@code frame}, with a note per enclosing block instance. */
    void reportIn(Frame frame, Diagnostic d) {
        Diagnostic out = d;
        int shown = 0;
        int hidden = 0;
        for (Frame f = frame; f != null; f = f.parent()) {
            if (!f.isBlockInstance()) continue;
            if (shown < MAX_INSTANCE_NOTES) {
                out = out.withNote("in block " + f.blockName() + ", instance " + f.instancePath(), f.callSpan());
                shown++;
            } else {
                hidden++;
            }
        }
        if (hidden > 0) out = out.withNote("... and " + hidden + " more enclosing instances", null);
        report(out);
    }

    Diagnostic duplicate(String name, SourceSpan span, SourceSpan first) {
        return Diagnostic.error(ErrorCode.E0202, span, name + " is already defined").withNote("first defined here", first);
    }

    Diagnostics diagnostics() { return diagnostics; }

    boolean hasErrors() { return diagnostics.hasErrors(); }

    /** Counts IR nodes against the limit (E0706). */
    void countNodes(int n, SourceSpan span) {
        nodes += n;
        if (nodes > limits().maxNodes()) {
            throw new ElabError(ErrorCode.E0706, span, "the graph has more than " + limits().maxNodes() + " nodes");
        }
    }

    /** Reserves {@code n} unrolled iterations against the limit (E0706) before a repeat runs. */
    void reserveIterations(long n, SourceSpan span) {
        if (n > limits().maxRepeatIterations() - repeatIterations) {
            throw new ElabError(ErrorCode.E0706, span, "repeat unrolls " + n + " iterations; more than "
                    + limits().maxRepeatIterations() + " iterations in all" + (repeatIterations > 0 ? " (" + repeatIterations + " already unrolled)" : ""));
        }
        repeatIterations += n;
    }
}
