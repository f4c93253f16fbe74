package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Provenance;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Instance names and paths (LANGUAGE.md §5). A call is named by its {@code named "..."} string if
 * given, else by the assigned name when it is the whole right-hand side of a single-target
 * assignment, else {@code Name_k}. Decisions:
 * <ul>
 *   <li>{@code k} counts every call of that block or op in the enclosing instance, named or not, in
 *       evaluation order: operands and arguments before the call that receives them, as PyTorch's
 *       FX tracer numbers {@code linear}, {@code linear_1}. Binary operators count as calls of
 *       {@code add}, {@code sub}, {@code mul}, {@code div}, {@code matmul}, unary minus of
 *       {@code neg}. Giving one call a name does not renumber the others.</li>
 *   <li>Two block instances with one path are E0204, with a note at the first. A primitive op whose
 *       automatic name (assigned or {@code Name_k}) is taken gets {@code _1}, {@code _2}, ...
 *       appended, so {@code x = relu(x)} may repeat; an explicit {@code named} collision is E0204.</li>
 *   <li>A {@code named} string is a dot-separated path of segments of letters, digits and
 *       {@code _}; anything else is E0307.</li>
 *   <li>Params live in their own namespace (param paths); two params with one path are E0204.</li>
 * </ul>
 */
final class InstanceRegistry {
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    private final Map<String, InstanceInfo> instances = new LinkedHashMap<>();
    private final Map<String, SourceSpan> params = new HashMap<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    Map<String, InstanceInfo> all() {
        return instances;
    }

    /** The name an unnamed call gets: the assigned name, else {@code Name_k}; consumes {@code k}. */
    static String automaticName(Frame frame, String callee, String assignedName) {
        int k = frame.nextCallIndex(callee);
        return assignedName != null ? assignedName : callee + "_" + k;
    }

    static void checkExplicitName(String name, SourceSpan span) {
        if (!PATH.matcher(name).matches()) {
            throw new ElabError(ErrorCode.E0307, span, "instance name \"" + name + "\" is not a path of letters, digits and _ "
                    + "separated by dots");
        }
    }

    /** Records a block instance and returns its path; a taken path is E0204. */
    String registerBlock(Frame parent, String local, String callee, SourceSpan span) {
        String path = parent.childPath(local);
        InstanceInfo first = instances.get(path);
        if (first != null) throw duplicate("duplicate instance path " + path, span, first.provenance().span());
        instances.put(path, new InstanceInfo(callee, InstanceInfo.Kind.BLOCK, new Provenance(span, path)));
        return path;
    }

    /** Records an op instance and returns its path, made unique with a suffix when the name was automatic. */
    String registerOp(Frame parent, String local, boolean explicit, String op, SourceSpan span) {
        String path = parent.childPath(local);
        InstanceInfo first = instances.get(path);
        if (first != null) {
            if (explicit) throw duplicate("duplicate instance path " + path, span, first.provenance().span());
            // Resume after the last suffix given to this path, so a long unrolled loop stays linear.
            String base = path;
            int i = nextSuffix.getOrDefault(base, 1);
            while (instances.containsKey(path = base + "_" + i)) i++;
            nextSuffix.put(base, i + 1);
        }
        instances.put(path, new InstanceInfo(op, InstanceInfo.Kind.OP, new Provenance(span, path)));
        return path;
    }

    void registerParam(String path, SourceSpan span) {
        SourceSpan first = params.putIfAbsent(path, span);
        if (first != null) throw duplicate("duplicate param path " + path, span, first);
    }

    private static ElabError duplicate(String message, SourceSpan span, SourceSpan first) {
        return new ElabError(Diagnostic.error(ErrorCode.E0204, span, message + "; tell the instances apart with named \"...\"")
                .withNote("first used here", first));
    }
}
