package dev.lathe.weights;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled {@code rename "layers.{i}." -> "blk.{i}.";} rule (LANGUAGE.md §9). The pattern matches
 * a file key's prefix; each {@code {name}} in it matches a decimal integer ({@code [0-9]+}), and a
 * name used twice must match the same digits both times. The matched prefix is replaced by the
 * replacement with every {@code {name}} substituted by the digits it matched, verbatim (so
 * {@code 007} stays {@code 007}); the rest of the key is kept. An empty pattern matches every key,
 * which adds a prefix. Immutable.
 */
public final class RenameRule {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final WeightsSpec.Rename source;
    private final Pattern pattern;
    /** The replacement as literal text and placeholders, each placeholder a group number of {@link #pattern}. */
    private final List<Object> replacement;

    private RenameRule(WeightsSpec.Rename source, Pattern pattern, List<Object> replacement) {
        this.source = source;
        this.pattern = pattern;
        this.replacement = replacement;
    }

    /** Why a rule is not valid; the binder reports it as E0407 at the rule. */
    public static final class InvalidRenameException extends Exception {
        InvalidRenameException(String message) {
            super(message, null, false, false);
        }
    }

    public static RenameRule compile(WeightsSpec.Rename rename) throws InvalidRenameException {
        List<Object> from = parse(rename.from(), "pattern");
        StringBuilder regex = new StringBuilder();
        Map<String, Integer> groups = new HashMap<>();
        Object previous = null;
        for (Object part : from) {
            if (part instanceof Placeholder(String name)) {
                // "{a}{b}" could split "123" anywhere: refuse rather than pick a split silently.
                if (previous instanceof Placeholder(String before)) {
                    throw new InvalidRenameException("rename pattern \"" + rename.from() + "\": {" + before + "} and {" + name
                            + "} must be separated by text");
                }
                Integer group = groups.get(name);
                if (group == null) {
                    groups.put(name, groups.size() + 1);
                    regex.append("([0-9]+)");
                } else {
                    regex.append("\\").append(group);
                }
            } else {
                regex.append(Pattern.quote((String) part));
            }
            previous = part;
        }
        List<Object> to = new ArrayList<>();
        for (Object part : parse(rename.to(), "replacement")) {
            if (part instanceof Placeholder(String name)) {
                Integer group = groups.get(name);
                if (group == null) {
                    throw new InvalidRenameException("rename replacement \"" + rename.to() + "\" uses {" + name
                            + "}, which the pattern \"" + rename.from() + "\" does not define");
                }
                to.add(group);
            } else {
                to.add(part);
            }
        }
        return new RenameRule(rename, Pattern.compile(regex.toString()), List.copyOf(to));
    }

    public WeightsSpec.Rename source() {
        return source;
    }

    /** The renamed key when the pattern matches a prefix of {@code key}, else empty. */
    public Optional<String> apply(String key) {
        Matcher m = pattern.matcher(key);
        if (!m.lookingAt()) return Optional.empty();
        StringBuilder out = new StringBuilder();
        for (Object part : replacement) {
            if (part instanceof Integer group) out.append(m.group(group));
            else out.append((String) part);
        }
        return Optional.of(out.append(key, m.end(), key.length()).toString());
    }

    private record Placeholder(String name) {}

    /** Literal strings and {@link Placeholder}s, in order. */
    private static List<Object> parse(String text, String what) throws InvalidRenameException {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i);
            String name = close < 0 ? null : text.substring(i + 1, close);
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidRenameException("rename " + what + " \"" + text + "\": '{' at offset " + i
                        + " does not start a {name} placeholder");
            }
            if (!literal.isEmpty()) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(new Placeholder(name));
            i = close + 1;
        }
        if (!literal.isEmpty()) parts.add(literal.toString());
        return parts;
    }

    @Override
    public String toString() {
        return "rename \"" + source.from() + "\" -> \"" + source.to() + "\"";
    }
}
