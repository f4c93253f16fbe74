package dev.lathe.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Prints diagnostics in the LANGUAGE.md §8 format:
 * <pre>
 * examples/bad.model:12:7: error[E0301]: shape mismatch in add: f32[B, 128] vs f32[B, 64]
 *    12 |   h = x + y;
 *       |       ^
 * note: in block Mlp, instance blk.1.mlp (examples/bad.model:30:9)
 * </pre>
 * Source lines come from {@code sources} (file name to text), falling back to reading the file.
 */
public final class DiagnosticRenderer {
    private final Function<String, String> sources;
    private final Map<String, List<String>> lines = new ConcurrentHashMap<>();

    public DiagnosticRenderer(Function<String, String> sources) {
        this.sources = sources;
    }

    public static DiagnosticRenderer fromFiles() {
        return new DiagnosticRenderer(file -> {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }

    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        SourceSpan s = d.span();
        sb.append(s.location()).append(": ").append(d.severity().label())
                .append('[').append(d.code()).append("]: ").append(d.message()).append('\n');
        String line = sourceLine(s);
        if (line != null) {
            String number = Integer.toString(s.line());
            String gutter = " ".repeat(Math.max(0, 5 - number.length() - 1));
            sb.append(gutter).append(number).append(" | ").append(line).append('\n');
            sb.append(" ".repeat(gutter.length() + number.length())).append(" | ")
                    .append(caretPadding(line, s.column() - 1))
                    .append("^".repeat(Math.max(1, Math.min(s.length(), Math.max(1, line.length() - s.column() + 1)))))
                    .append('\n');
        }
        for (Diagnostic.Note n : d.notes()) {
            sb.append("note: ").append(n.text());
            if (n.span() != null && n.span().line() > 0) sb.append(" (").append(n.span().location()).append(')');
            sb.append('\n');
        }
        return sb.toString();
    }

    public String renderAll(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) sb.append(render(d));
        return sb.toString();
    }

    private static String caretPadding(String line, int column) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < column && i < line.length(); i++) pad.append(line.charAt(i) == '\t' ? '\t' : ' ');
        for (int i = line.length(); i < column; i++) pad.append(' ');
        return pad.toString();
    }

    private String sourceLine(SourceSpan s) {
        if (s.line() <= 0) return null;
        List<String> ls = lines.computeIfAbsent(s.file(), f -> {
            String text = sources.apply(f);
            return text == null ? List.of() : text.lines().toList();
        });
        return s.line() <= ls.size() ? ls.get(s.line() - 1) : null;
    }
}
