package dev.lathe.maven;

import dev.lathe.diag.Severity;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A throw-away Maven-like project folder for {@link ModelBuild}, and what its builds reported. */
final class TestProject {
    final Path dir;
    List<String> passes = List.of();
    List<String> includes = List.of();
    List<String> excludes = List.of();
    String backend = "jvm";
    String packageName = "";
    boolean failOnWarning;
    Limits limits = new Limits();
    String compilerId = "test-compiler-1";

    final List<String> messages = new ArrayList<>();
    final List<String> infos = new ArrayList<>();
    final List<Path> changed = new ArrayList<>();

    TestProject(Path dir) {
        this.dir = dir;
    }

    Path models() {
        return dir.resolve("src/main/models");
    }

    Path sourcesOut() {
        return dir.resolve("target/generated-sources/lathe");
    }

    Path resourcesOut() {
        return dir.resolve("target/generated-resources/lathe");
    }

    Path model(String relative, String text) throws IOException {
        Path p = models().resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    void weights(String relative, Map<String, Tensor> tensors) throws IOException {
        Path p = models().resolve(relative);
        Files.createDirectories(p.getParent());
        SafetensorsWriter.write(p, tensors, Map.of());
    }

    ModelBuild.Settings settings() {
        return new ModelBuild.Settings(dir, models(), dir, includes, excludes, passes, backend, packageName, failOnWarning, limits, sourcesOut(),
                resourcesOut(), dir.resolve("target/lathe/compile"), compilerId);
    }

    /** Runs a build, forgetting what earlier builds reported. */
    ModelBuild.Result build() throws Exception {
        messages.clear();
        infos.clear();
        changed.clear();
        return new ModelBuild(settings(), new ModelBuild.Listener() {
            @Override
            public void message(Severity severity, Path file, int line, int column, String text) {
                String where = file == null ? "" : line > 0 ? dir.relativize(file) + ":[" + line + "," + column + "] " : dir.relativize(file) + ": ";
                messages.add(severity.label() + " " + where + text);
            }

            @Override
            public void info(String text) {
                infos.add(text);
            }

            @Override
            public void compiling(Path model) {}

            @Override
            public void changed(Path file) {
                changed.add(file);
            }
        }).run();
    }

    /** Every file under target/ with its modification time (ns) and size. */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path target = dir.resolve("target");
        if (!Files.exists(target)) return out;
        try (Stream<Path> files = Files.walk(target)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toInstant() + " " + Files.size(p) + " "
                        + Fingerprints.sha256(p));
            }
        }
        return out;
    }

    /** The models compiled by the last build, as the "Compiling" lines name them. */
    List<String> compiled() {
        return infos.stream().filter(s -> s.startsWith("Compiling ")).map(s -> s.substring("Compiling src/main/models/".length())).toList();
    }
}
