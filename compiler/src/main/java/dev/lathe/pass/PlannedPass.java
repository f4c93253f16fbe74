package dev.lathe.pass;

import java.util.Map;
import java.util.Objects;

/**
 * One pass to run on one target (a param path, or an instance path for {@code kernelize}), with
 * every argument resolved: given, implied or defaulted, in the pass's declaration order.
 * {@code source} is the statement it came from, for reports and diagnostics.
 */
public record PlannedPass(PassInfo pass, Map<String, Object> args, String target, PassStatement source) {
    public PlannedPass {
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }

    public String passName() {
        return pass.name();
    }

    /** The argument's value; throws when the pass has no such argument value (a planner bug). */
    public Object arg(String name) {
        Object v = args.get(name);
        if (v == null) throw new IllegalArgumentException(pass.name() + " on " + target + " has no argument " + name);
        return v;
    }

    public boolean has(String name) {
        return args.containsKey(name);
    }
}
