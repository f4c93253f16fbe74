package dev.lathe.pass;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pass's metadata (DESIGN.md §5): name, one-line summary, arguments, what its selectors match,
 * the preconditions a target must meet (the pass itself reports targets that fail them as skipped),
 * the rules between arguments, and, for instance passes, the instance kinds it applies to
 * ({@code attention} for {@code kernelize}; empty for param passes).
 */
public record PassInfo(String name, String summary, List<ArgInfo> args, TargetKind target, String preconditions,
                       List<ArgRule> rules, Set<String> instanceKinds) {
    public PassInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(preconditions, "preconditions");
        args = List.copyOf(args);
        rules = List.copyOf(rules);
        instanceKinds = Set.copyOf(instanceKinds);
        Set<String> names = new HashSet<>();
        for (ArgInfo a : args) {
            if (!names.add(a.name())) throw new IllegalArgumentException(name + ": argument " + a.name() + " declared twice");
        }
        for (ArgRule r : rules) {
            for (String m : r.mentions()) {
                if (!names.contains(m)) throw new IllegalArgumentException(name + ": rule mentions unknown argument " + m);
            }
            switch (r) {
                case ArgRule.Implies(var when, var arg, var value) -> {
                    checkCondition(name, args, when);
                    checkRuleValue(name, args, arg, value);
                }
                case ArgRule.DefaultWhen(var when, var arg, var value) -> {
                    checkCondition(name, args, when);
                    checkRuleValue(name, args, arg, value);
                }
                case ArgRule.RequiredWhen(var when, var arg) -> checkCondition(name, args, when);
                case ArgRule.OnlyWhen(var when, var arg) -> checkCondition(name, args, when);
                case ArgRule.ExactlyOneOf e -> { }
            }
        }
        if ((target == TargetKind.INSTANCE) == instanceKinds.isEmpty()) {
            throw new IllegalArgumentException(name + ": instance passes, and only they, name instance kinds");
        }
    }

    // Rule values are compared with coerced argument values by equals, so a 4 (Integer) where
    // 4L (Long) is meant would never match: insist on the canonical form.
    private static void checkRuleValue(String pass, List<ArgInfo> args, String arg, Object value) {
        ArgInfo info = args.stream().filter(a -> a.name().equals(arg)).findFirst().orElseThrow();
        Object coerced = info.type().coerce(value).orElse(null);
        if (!value.equals(coerced) || !info.allowed().admits(coerced)) {
            throw new IllegalArgumentException(pass + ": rule value " + value + " is not a valid " + arg);
        }
    }

    private static void checkCondition(String pass, List<ArgInfo> args, ArgRule.Condition when) {
        for (Object v : when.values()) checkRuleValue(pass, args, when.arg(), v);
    }

    public Optional<ArgInfo> arg(String argName) {
        return args.stream().filter(a -> a.name().equals(argName)).findFirst();
    }

    public List<String> argNames() {
        return args.stream().map(ArgInfo::name).toList();
    }
}
