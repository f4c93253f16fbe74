package dev.lathe.maven;

import dev.lathe.backend.jvm.JvmCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Java names for what a model file holds: the façade class of each graph, its package, and its
 * parameters (the graph's input names). Every name is a legal Java identifier whatever the model
 * and folder names are.
 */
final class JavaNames {
    private JavaNames() {}

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
            "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public",
            "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits", "when");

    /**
     * The façade's simple name: the file stem in UpperCamelCase for graph {@code main}
     * ({@code tiny_encoder.model} gives {@code TinyEncoder}), with the graph's name appended for
     * any other graph ({@code digits.model}, {@code accuracy} gives {@code DigitsAccuracy}).
     */
    static String facadeName(String modelStem, String graph) {
        return JvmCompiler.className(modelStem, graph.equals("main") ? "" : graph);
    }

    /**
     * The package of a model: {@code base} (may be empty) followed by the model's folder below the
     * source folder ({@code relativeDir} with {@code /} separators, may be empty), each segment
     * made a legal identifier.
     */
    static String packageName(String base, String relativeDir) {
        List<String> segments = new ArrayList<>();
        if (base != null && !base.isBlank()) {
            for (String s : base.trim().split("\\.")) segments.add(identifier(s));
        }
        if (relativeDir != null && !relativeDir.isEmpty()) {
            for (String s : relativeDir.split("/")) {
                if (!s.isEmpty()) segments.add(identifier(s));
            }
        }
        return String.join(".", segments);
    }

    /** {@code name} as a legal Java identifier: other characters become {@code _}, keywords get a trailing {@code _}. */
    static String identifier(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(Character.isJavaIdentifierPart(c) && c != '$' ? c : '_');
        }
        if (sb.isEmpty() || !Character.isJavaIdentifierStart(sb.charAt(0))) sb.insert(0, '_');
        String s = sb.toString();
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    /** Unique identifiers for {@code names}, in order: a clash gets {@code _2}, {@code _3}, ... */
    static List<String> uniqueIdentifiers(List<String> names, Set<String> taken) {
        List<String> out = new ArrayList<>();
        java.util.HashSet<String> used = new java.util.HashSet<>(taken);
        for (String n : names) {
            String id = identifier(n);
            String candidate = id;
            for (int k = 2; !used.add(candidate); k++) candidate = id + "_" + k;
            out.add(candidate);
        }
        return out;
    }
}
