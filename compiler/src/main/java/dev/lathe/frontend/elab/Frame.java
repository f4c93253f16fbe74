package dev.lathe.frontend.elab;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One block instance being expanded, or the graph itself: where its names live, its instance
 * path, the call that made it (for "in block Mlp, instance blk.1.mlp" notes), its per-callee call
 * counters for {@code Name_k} instance names, and what it has returned.
 */
final class Frame {
    private final Decl.Block block;
    private final Scope scope;
    private final Unifier unifier;
    private final String instancePath;
    private final SourceSpan callSpan;
    private final Frame parent;
    private final int depth;
    private final Map<String, Integer> callCounts = new HashMap<>();
    private List<Val> returned;

    Frame(Decl.Block block, Scope scope, Unifier unifier, String instancePath, SourceSpan callSpan, Frame parent) {
        this.block = block;
        this.scope = scope;
        this.unifier = unifier;
        this.instancePath = instancePath;
        this.callSpan = callSpan;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    Decl.Block block() { return block; }

    String blockName() { return block.name(); }

    /** False for the graph being elaborated, whose instance path is empty. */
    boolean isBlockInstance() { return !block.graph(); }

    Scope scope() { return scope; }

    LoadedModule module() { return scope.module(); }

    /** The signature bindings (pattern variables, {@code ...}, type variables) of this instance. */
    Unifier unifier() { return unifier; }

    String instancePath() { return instancePath; }

    SourceSpan callSpan() { return callSpan; }

    Frame parent() { return parent; }

    /** Block instances between this one and the graph; the graph is 0. */
    int depth() { return depth; }

    /** The path of a child instance or param: {@code blk.0} + {@code mlp}, bare at graph level. */
    String childPath(String local) {
        return instancePath.isEmpty() ? local : instancePath + "." + local;
    }

    /** The index of this call among the calls of {@code callee} made so far in this instance. */
    int nextCallIndex(String callee) {
        return callCounts.merge(callee, 1, Integer::sum) - 1;
    }

    List<Val> returned() { return returned; }

    void setReturned(List<Val> values) { returned = List.copyOf(values); }

    boolean hasReturned() { return returned != null; }
}
