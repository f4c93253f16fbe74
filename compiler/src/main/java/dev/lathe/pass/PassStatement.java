package dev.lathe.pass;

import dev.lathe.diag.SourceSpan;
import java.util.List;
import java.util.Map;

/**
 * One request to run a pass on some targets (LANGUAGE.md §7), from an annotation, the
 * {@code passes} section, the CLI ({@code --pass}) or the Maven plugin, in pipeline order.
 * {@code args} are evaluated compile-time values in source order: {@code Long}, {@code Double},
 * {@code Boolean}, {@code String} or {@code List<Object>} of those. {@code selectors} are globs
 * over param paths (weight passes) or instance paths ({@code kernelize}); an annotation's selector
 * is the exact path of the param or instance it stands before.
 */
public record PassStatement(String pass, Map<String, Object> args, List<String> selectors, SourceSpan span, Origin origin) {
    public PassStatement {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        selectors = List.copyOf(selectors);
    }

    public enum Origin { ANNOTATION, PASSES_SECTION, COMMAND_LINE, BUILD_CONFIGURATION }
}
