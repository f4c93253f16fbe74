package dev.lathe.pass;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A constraint between arguments of one pass, as data: the planner checks these, and the docs
 * print {@link #describe()}. Rules refer to arguments by name; {@link PassInfo} checks that the
 * names exist.
 */
public sealed interface ArgRule {
    /** The rule in words, for the docs. */
    String describe();

    /** The argument names the rule mentions. */
    List<String> mentions();

    /**
     * A condition on one argument: it is given ({@code values} empty), or its value, given or
     * defaulted, is one of {@code values}.
     */
    record Condition(String arg, List<Object> values) {
        public Condition {
            Objects.requireNonNull(arg, "arg");
            values = List.copyOf(values);
        }

        public static Condition given(String arg) {
            return new Condition(arg, List.of());
        }

        public static Condition is(String arg, Object... values) {
            return new Condition(arg, List.of(values));
        }

        /** Whether it holds for the arguments known so far (given, implied or defaulted). */
        public boolean holds(Map<String, Object> known) {
            Object v = known.get(arg);
            return values.isEmpty() ? v != null : v != null && values.contains(v);
        }

        public String describe() {
            if (values.isEmpty()) return arg + " is given";
            return arg + " = " + values.stream().map(ValueText::of).collect(Collectors.joining(" | "));
        }
    }

    /** Exactly one of {@code args} must be given ({@code lowrank}'s rank, ratio, energy, threshold). */
    record ExactlyOneOf(List<String> args) implements ArgRule {
        public ExactlyOneOf {
            args = List.copyOf(args);
            if (args.size() < 2) throw new IllegalArgumentException("ExactlyOneOf needs two or more arguments");
        }

        @Override
        public String describe() {
            return "exactly one of " + String.join(", ", args) + " is required";
        }

        @Override
        public List<String> mentions() {
            return args;
        }
    }

    /**
     * When {@code when} holds, {@code arg} has {@code value}: it is filled in when absent, and a
     * different explicit value is a conflict ({@code scheme = "dgq"} means {@code bits = 4}).
     */
    record Implies(Condition when, String arg, Object value) implements ArgRule {
        public Implies {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(arg, "arg");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String describe() {
            return "when " + when.describe() + ": " + arg + " = " + ValueText.of(value);
        }

        @Override
        public List<String> mentions() {
            return List.of(when.arg(), arg);
        }
    }

    /** When {@code when} holds and {@code arg} is absent, it defaults to {@code value}. */
    record DefaultWhen(Condition when, String arg, Object value) implements ArgRule {
        public DefaultWhen {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(arg, "arg");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String describe() {
            return "when " + when.describe() + ": " + arg + " defaults to " + ValueText.of(value);
        }

        @Override
        public List<String> mentions() {
            return List.of(when.arg(), arg);
        }
    }

    /** {@code arg} must be given when {@code when} holds ({@code block} with {@code pattern = "block"}). */
    record RequiredWhen(Condition when, String arg) implements ArgRule {
        public RequiredWhen {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(arg, "arg");
        }

        @Override
        public String describe() {
            return arg + " is required when " + when.describe();
        }

        @Override
        public List<String> mentions() {
            return List.of(when.arg(), arg);
        }
    }

    /** {@code arg} may be given only when {@code when} holds; elsewhere it would be silently ignored. */
    record OnlyWhen(Condition when, String arg) implements ArgRule {
        public OnlyWhen {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(arg, "arg");
        }

        @Override
        public String describe() {
            return arg + " is allowed only when " + when.describe();
        }

        @Override
        public List<String> mentions() {
            return List.of(when.arg(), arg);
        }
    }
}
