package dev.lathe.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last build of one goal left behind, kept under {@code target/lathe/<goal>/state.txt}:
 * per model source, the fingerprint it was compiled with, the files it read (itself, its imports,
 * its weights) and the files it wrote; and per file read, its size, modification time and SHA-256,
 * so that a large weights file is hashed again only when its size or time changed.
 *
 * <p>A text file, one tab-separated record per line; {@link #parse} ignores a file of another format
 * version (everything is then rebuilt once).
 */
final class BuildState {
    static final String MAGIC = "lathe-build-state";
    static final int VERSION = 1;

    /**
     * One model source. {@code fingerprint} is empty when the last compile failed (it never
     * matches, so the model is compiled again); {@code outputs} are paths relative to the project.
     */
    record Model(String path, String fingerprint, List<String> dependencies, List<String> outputs) {
        Model {
            dependencies = List.copyOf(dependencies);
            outputs = List.copyOf(outputs);
        }
    }

    /** A file's size, modification time (ms) and SHA-256 when it was last hashed. */
    record FileHash(long size, long modified, String sha256) {}

    final Map<String, Model> models = new TreeMap<>();
    final Map<String, FileHash> files = new TreeMap<>();

    static BuildState read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new BuildState();
        }
        BuildState state = parse(text);
        return state == null ? new BuildState() : state;
    }

    /** The state in {@code text}, or null when it is of another version or malformed. */
    static BuildState parse(String text) {
        BuildState s = new BuildState();
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(MAGIC + "\t" + VERSION)) return null;
        String model = null;
        String fingerprint = null;
        List<String> deps = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        try {
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t", -1);
                switch (f[0]) {
                    case "model" -> {
                        if (model != null) s.models.put(model, new Model(model, fingerprint, deps, outs));
                        model = f[1];
                        fingerprint = f[2];
                        deps = new ArrayList<>();
                        outs = new ArrayList<>();
                    }
                    case "dep" -> deps.add(f[1]);
                    case "out" -> outs.add(f[1]);
                    case "file" -> s.files.put(f[1], new FileHash(Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
                    case "" -> { }
                    default -> {
                        return null;
                    }
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (model != null) s.models.put(model, new Model(model, fingerprint, deps, outs));
        return s;
    }

    String format() {
        StringBuilder sb = new StringBuilder(MAGIC).append('\t').append(VERSION).append('\n');
        for (Model m : models.values()) {
            line(sb, "model", m.path(), m.fingerprint());
            for (String d : m.dependencies()) line(sb, "dep", d);
            for (String o : m.outputs()) line(sb, "out", o);
        }
        for (Map.Entry<String, FileHash> e : files.entrySet()) {
            FileHash h = e.getValue();
            line(sb, "file", e.getKey(), Long.toString(h.size()), Long.toString(h.modified()), h.sha256());
        }
        return sb.toString();
    }

    /** Writes the state unless the file already holds exactly this text (a no-op build writes nothing). */
    boolean write(Path file) throws IOException {
        byte[] bytes = format().getBytes(StandardCharsets.UTF_8);
        return OutputFiles.writeIfChanged(file, bytes);
    }

    private static void line(StringBuilder sb, String... fields) {
        for (String f : fields) {
            if (f.indexOf('\t') >= 0 || f.indexOf('\n') >= 0) throw new IllegalArgumentException("a path with a tab or a newline: " + f);
        }
        sb.append(String.join("\t", fields)).append('\n');
    }
}
