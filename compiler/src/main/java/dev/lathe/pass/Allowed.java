package dev.lathe.pass;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The values a pass argument admits, as data so that the CLI help and the docs print the same
 * constraint the planner checks. Values given to {@link #admits} are already coerced by
 * {@link ArgType#coerce}.
 */
public sealed interface Allowed {
    boolean admits(Object value);

    /** The constraint as a reader would write it: {@code (0, 1]}, {@code 8 | 4}, {@code > 0}. */
    String describe();

    /** Every value of the argument's type. */
    record Any() implements Allowed {
        @Override
        public boolean admits(Object value) {
            return true;
        }

        @Override
        public String describe() {
            return "any";
        }
    }

    /** One of a fixed set of values (strings or numbers of the argument's type). */
    record OneOf(List<Object> values) implements Allowed {
        public OneOf {
            values = List.copyOf(values);
            if (values.isEmpty()) throw new IllegalArgumentException("OneOf needs at least one value");
        }

        public static OneOf of(Object... values) {
            return new OneOf(List.of(values));
        }

        @Override
        public boolean admits(Object value) {
            return values.contains(value);
        }

        @Override
        public String describe() {
            return values.stream().map(ValueText::of).collect(Collectors.joining(" | "));
        }
    }

    /**
     * A numeric interval; a null bound is open-ended. Works for ints and floats alike because
     * every bound the registry needs is exact in a double.
     */
    record Range(Double min, boolean minInclusive, Double max, boolean maxInclusive) implements Allowed {
        public Range {
            if (min == null && max == null) throw new IllegalArgumentException("a Range needs a bound; use Any");
        }

        public static Range atLeast(double min) {
            return new Range(min, true, null, false);
        }

        public static Range above(double min) {
            return new Range(min, false, null, false);
        }

        public static Range between(double min, boolean minInclusive, double max, boolean maxInclusive) {
            return new Range(min, minInclusive, max, maxInclusive);
        }

        @Override
        public boolean admits(Object value) {
            if (!(value instanceof Number n)) return false;
            double v = n.doubleValue();
            if (Double.isNaN(v)) return false;
            if (min != null && (minInclusive ? v < min : v <= min)) return false;
            return max == null || (maxInclusive ? v <= max : v < max);
        }

        @Override
        public String describe() {
            if (max == null) return (minInclusive ? ">= " : "> ") + number(min);
            if (min == null) return (maxInclusive ? "<= " : "< ") + number(max);
            return (minInclusive ? "[" : "(") + number(min) + ", " + number(max) + (maxInclusive ? "]" : ")");
        }

        private static String number(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** An N:M structured-sparsity pattern such as {@code "2:4"}: N kept of every M, 0 < N < M. */
    record NOfM() implements Allowed {
        private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,8}):([1-9][0-9]{0,8})");

        @Override
        public boolean admits(Object value) {
            if (!(value instanceof String s)) return false;
            Matcher m = FORM.matcher(s);
            return m.matches() && Long.parseLong(m.group(1)) < Long.parseLong(m.group(2));
        }

        @Override
        public String describe() {
            return "\"N:M\" (0 < N < M, e.g. \"2:4\")";
        }

        /** {@code {N, M}} of an admitted pattern. */
        public static long[] parse(String pattern) {
            Matcher m = FORM.matcher(pattern);
            if (!m.matches()) throw new IllegalArgumentException("not an N:M pattern: " + pattern);
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
    }

    /** A value admitted by any of the alternatives, described in their order. */
    record Either(List<Allowed> alternatives) implements Allowed {
        public Either {
            alternatives = List.copyOf(alternatives);
        }

        public static Either of(Allowed... alternatives) {
            return new Either(List.of(alternatives));
        }

        @Override
        public boolean admits(Object value) {
            return alternatives.stream().anyMatch(a -> a.admits(value));
        }

        @Override
        public String describe() {
            return alternatives.stream().map(Allowed::describe).collect(Collectors.joining(" | "));
        }
    }

    /** A list of exactly {@code length} elements, each admitted by {@code element}. */
    record ListOf(int length, Allowed element) implements Allowed {
        public ListOf {
            Objects.requireNonNull(element, "element");
            if (length < 1) throw new IllegalArgumentException("length " + length);
        }

        @Override
        public boolean admits(Object value) {
            return value instanceof List<?> l && l.size() == length && l.stream().allMatch(element::admits);
        }

        @Override
        public String describe() {
            return length + " values, each " + element.describe();
        }
    }
}
