package dev.lathe.pass;

import dev.lathe.diag.ErrorCode;
import dev.lathe.pass.ArgRule.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the arguments of one pass statement against its {@link PassInfo} and fills in implied
 * and default values. Order of evaluation: each given argument's name, type and range; then
 * {@link ArgRule.Implies} rules to a fixpoint over given, implied and default values (an implied
 * value replaces a default, and conflicts only with a given value or another implication); then
 * {@link ArgRule.DefaultWhen}; then {@link ArgRule.OnlyWhen}, {@link ArgRule.RequiredWhen} and
 * {@link ArgRule.ExactlyOneOf}, which look at the final values.
 */
final class ArgResolver {
    private ArgResolver() {}

    /** A problem with the arguments, E0503 or E0504. */
    record Problem(ErrorCode code, String message) {}

    /** The full argument map in the pass's declaration order, and every problem found. */
    record Resolution(Map<String, Object> args, List<Problem> problems) {
        Resolution {
            args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
            problems = List.copyOf(problems);
        }
    }

    static Resolution resolve(PassInfo info, Map<String, Object> given) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> explicit = new HashMap<>();
        for (var e : given.entrySet()) {
            String name = e.getKey();
            var arg = info.arg(name);
            if (arg.isEmpty()) {
                problems.add(new Problem(ErrorCode.E0503, "unknown argument " + name + " for pass " + info.name()
                        + "; valid arguments: " + String.join(", ", Closest.rank(name, info.argNames(), Integer.MAX_VALUE))));
                continue;
            }
            ArgType type = arg.get().type();
            var coerced = type.coerce(e.getValue());
            if (coerced.isEmpty()) {
                problems.add(new Problem(ErrorCode.E0504, info.name() + ": " + name + " must be " + article(type.displayName())
                        + ", got " + ValueText.of(e.getValue())));
                continue;
            }
            Allowed allowed = arg.get().allowed();
            if (!allowed.admits(coerced.get())) {
                problems.add(new Problem(ErrorCode.E0504, info.name() + ": " + name + " = " + ValueText.of(coerced.get())
                        + " is not allowed; allowed: " + allowed.describe()));
                continue;
            }
            explicit.put(name, coerced.get());
        }

        Map<String, Object> values = new HashMap<>(explicit);
        for (ArgInfo a : info.args()) {
            if (a.hasDefault()) values.putIfAbsent(a.name(), a.defaultValue());
        }
        applyImplications(info, explicit, values, problems);
        for (ArgRule r : info.rules()) {
            if (r instanceof ArgRule.DefaultWhen(Condition when, String arg, Object value) && !values.containsKey(arg) && when.holds(values)) {
                values.put(arg, value);
            }
        }
        for (ArgRule r : info.rules()) {
            switch (r) {
                case ArgRule.OnlyWhen(Condition when, String arg) when explicit.containsKey(arg) && !when.holds(values) ->
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": conflicting arguments: " + arg
                                + " applies only when " + when.describe() + ", not " + current(when.arg(), values)));
                case ArgRule.RequiredWhen(Condition when, String arg) when when.holds(values) && !values.containsKey(arg)
                        && !given.containsKey(arg) ->
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": missing argument: " + arg
                                + " is required when " + when.describe()));
                case ArgRule.ExactlyOneOf(List<String> names) -> {
                    // Counted over the names given, valid or not, so a bad value is not also reported as missing.
                    List<String> present = names.stream().filter(given::containsKey).toList();
                    if (present.isEmpty()) {
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": missing argument: give exactly one of "
                                + String.join(", ", names)));
                    } else if (present.size() > 1) {
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": conflicting arguments: "
                                + String.join(" and ", present) + "; give exactly one of " + String.join(", ", names)));
                    }
                }
                default -> { }
            }
        }

        Map<String, Object> ordered = new LinkedHashMap<>();
        for (ArgInfo a : info.args()) {
            if (values.containsKey(a.name())) ordered.put(a.name(), values.get(a.name()));
        }
        return new Resolution(ordered, problems);
    }

    // Each implication sets its argument at most once (a second, different one is a conflict),
    // so the loop ends after at most one round per rule.
    private static void applyImplications(PassInfo info, Map<String, Object> explicit, Map<String, Object> values,
                                          List<Problem> problems) {
        Map<String, ArgRule.Implies> impliedBy = new HashMap<>();
        List<ArgRule.Implies> reported = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ArgRule r : info.rules()) {
                if (!(r instanceof ArgRule.Implies rule) || reported.contains(rule) || !rule.when().holds(values)) continue;
                String arg = rule.arg();
                Object want = rule.value();
                if (explicit.containsKey(arg)) {
                    if (!Objects.equals(explicit.get(arg), want)) {
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": conflicting arguments: " + cause(rule.when(), values)
                                + " needs " + arg + " = " + ValueText.of(want) + ", not " + arg + " = " + ValueText.of(explicit.get(arg))));
                        reported.add(rule);
                    }
                } else if (impliedBy.containsKey(arg)) {
                    ArgRule.Implies first = impliedBy.get(arg);
                    if (!Objects.equals(first.value(), want)) {
                        problems.add(new Problem(ErrorCode.E0504, info.name() + ": conflicting arguments: " + cause(first.when(), values)
                                + " needs " + arg + " = " + ValueText.of(first.value()) + ", but " + cause(rule.when(), values)
                                + " needs " + arg + " = " + ValueText.of(want)));
                        reported.add(rule);
                    }
                } else {
                    impliedBy.put(arg, rule);
                    values.put(arg, want);
                    changed = true;
                }
            }
        }
    }

    /** What made a condition hold, as the user wrote it: {@code scheme = "dgq"} or just {@code group}. */
    private static String cause(Condition when, Map<String, Object> values) {
        return when.values().isEmpty() ? when.arg() : current(when.arg(), values);
    }

    private static String current(String arg, Map<String, Object> values) {
        Object v = values.get(arg);
        return v == null ? arg + " unset" : arg + " = " + ValueText.of(v);
    }

    private static String article(String typeName) {
        return (typeName.startsWith("int") ? "an " : "a ") + typeName;
    }
}
