package dev.lathe.maven;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.api.PassStatementText;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.Severity;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.elab.ElaborationOptions;
import dev.lathe.frontend.parse.ModelParser;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassStatement;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.TargetReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One run of the plugin over one source folder, free of the Maven API so that it can be tested
 * directly: finds the model files, compiles those whose inputs changed and writes, per graph, the
 * Java façade ({@code <sources>/<package>/<Name>.java}) and the compiled model
 * ({@code <resources>/META-INF/lathe/<package>/<Name>.{lathe,class,safetensors}}).
 *
 * <p>Incremental: a model is compiled again only when its fingerprint changed, the SHA-256 of
 * the effective configuration (including the compiler's identity) and of every file the last
 * compile read (the model, its imports, its weights), or when one of its outputs is gone. Any
 * change to the set of files a model reads is a change to the content of a file it read before
 * (the import or weights declaration lives in one), so the recorded set is enough. Outputs are
 * written only when their bytes change, and the state file only when it changes: a build with
 * nothing changed writes nothing.
 *
 * <p>A file without a graph is a library (blocks and consts for others to import): it is parsed,
 * and produces nothing.
 */
final class ModelBuild {
    /** The class-path folder that holds every compiled model. */
    static final String RESOURCE_ROOT = "META-INF/lathe";

    /**
     * What to build.
     *
     * @param baseDir     the project folder; paths in the state and in messages are relative to it
     * @param sourceDir   the folder scanned for model files
     * @param root        the folder imports and weights must stay inside (E0704)
     * @param passes      pass statements appended to every model's own, as written in the configuration
     * @param packageName the package of models at the top of {@code sourceDir} (may be empty)
     * @param sourcesOut  where façades go (a compile source root)
     * @param resourcesOut where compiled models go (a resource root)
     * @param workDir     this goal's private folder: the state file and the staging area
     * @param compilerId  identifies the compiler's code; a change recompiles everything
     */
    record Settings(Path baseDir, Path sourceDir, Path root, List<String> includes, List<String> excludes, List<String> passes,
                    String backend, String packageName, boolean failOnWarning, Limits limits, Path sourcesOut, Path resourcesOut,
                    Path workDir, String compilerId) {
        Settings {
            includes = includes == null ? List.of() : List.copyOf(includes);
            excludes = excludes == null ? List.of() : List.copyOf(excludes);
            passes = passes == null ? List.of() : List.copyOf(passes);
            if (packageName == null) packageName = "";
            if (limits == null) limits = new Limits();
        }
    }

    /** Where messages go: the build log, or the IDE's markers. */
    interface Listener {
        /** A diagnostic; {@code file} is null when it points at no file (then {@code line} is 0). */
        void message(Severity severity, Path file, int line, int column, String text);

        void info(String text);

        /** {@code model} is about to be compiled: its earlier messages are out of date. */
        void compiling(Path model);

        /** {@code file} was written or deleted. */
        void changed(Path file);
    }

    /** What the run did. {@code failed} lists the model files (relative) that did not compile. */
    record Result(int models, int compiled, int upToDate, int libraries, int errors, int warnings, List<String> failed) {
        Result {
            failed = List.copyOf(failed);
        }
    }

    /** A fault of the compiler (not of the model): the build stops with the stack trace. */
    static final class CompilerFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CompilerFault(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A problem with the plugin configuration itself; the build fails. */
    static final class ConfigurationException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigurationException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Listener listener;
    private final Path stateFile;
    private int errors;
    private int warnings;

    ModelBuild(Settings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
        this.stateFile = settings.workDir().resolve("state.txt");
    }

    Result run() throws IOException, ConfigurationException {
        if (!"jvm".equals(settings.backend())) {
            throw new ConfigurationException("<backend>" + settings.backend() + "</backend> is not available: this version of"
                    + " lathe-maven-plugin compiles with the jvm backend only (opencl and tornado are planned)");
        }
        String limitProblem = settings.limits().problem();
        if (limitProblem != null) throw new ConfigurationException(limitProblem);
        List<PassStatement> passes = parsePasses();
        String config = configDigest();

        List<String> sources = new SourceScanner(settings.includes(), settings.excludes()).scan(settings.sourceDir());
        BuildState previous = BuildState.read(stateFile);
        BuildState next = new BuildState();
        Fingerprints hashes = new Fingerprints(previous.files);

        // Outputs belong to one model each; a model that would write another's is an error.
        Map<String, String> owners = new HashMap<>();
        for (BuildState.Model m : previous.models.values()) {
            if (sources.contains(m.path())) m.outputs().forEach(o -> owners.put(o, m.path()));
        }

        int compiled = 0, upToDate = 0, libraries = 0;
        List<String> failed = new ArrayList<>();
        for (String rel : sources) {
            BuildState.Model before = previous.models.get(rel);
            if (before != null && isUpToDate(before, config, hashes)) {
                next.models.put(rel, before);
                upToDate++;
                if (before.outputs().isEmpty()) libraries++;
                continue;
            }
            BuildState.Model after = compile(rel, passes, config, hashes, before, owners);
            next.models.put(rel, after);
            if (after.fingerprint().isEmpty()) {
                failed.add(key(settings.sourceDir().resolve(rel)));
            } else {
                compiled++;
                if (after.outputs().isEmpty()) libraries++;
            }
        }
        // Models that are gone take their outputs with them.
        for (BuildState.Model m : previous.models.values()) {
            if (!next.models.containsKey(m.path())) deleteOutputs(m.outputs(), Set.of());
        }
        next.files.putAll(hashes.recorded());
        if (next.models.isEmpty() && !Files.exists(stateFile)) {
            // Nothing to remember: leave no trace in a project without models.
        } else {
            Files.createDirectories(stateFile.getParent());
            next.write(stateFile);
        }
        return new Result(sources.size(), compiled, upToDate, libraries, errors, warnings, failed);
    }

    private List<PassStatement> parsePasses() throws ConfigurationException {
        List<PassStatement> out = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (int i = 0; i < settings.passes().size(); i++) {
            String text = settings.passes().get(i).strip();
            if (text.endsWith(";")) text = text.substring(0, text.length() - 1).strip();
            try {
                out.add(PassStatementText.parse(text, passOrigin(i), PassStatement.Origin.BUILD_CONFIGURATION));
            } catch (DiagnosticException e) {
                problems.addAll(e.diagnostics());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(d -> report(problem(d)));
            throw new ConfigurationException(problems.size() + " error" + (problems.size() == 1 ? "" : "s") + " in <passes>");
        }
        return out;
    }

    /** How messages name a configured pass statement: {@code <passes>[1]}, counting from 1. */
    static String passOrigin(int index) {
        return "<passes>[" + (index + 1) + "]";
    }

    private String configDigest() {
        StringBuilder sb = new StringBuilder();
        sb.append("compiler\t").append(settings.compilerId()).append('\n');
        sb.append("facade\t").append(FacadeGenerator.FORMAT).append('\n');
        sb.append("backend\t").append(settings.backend()).append('\n');
        sb.append("root\t").append(key(settings.root())).append('\n');
        sb.append("sourceDir\t").append(key(settings.sourceDir())).append('\n');
        sb.append("package\t").append(settings.packageName()).append('\n');
        sb.append("limits\t").append(settings.limits()).append('\n');
        sb.append("failOnWarning\t").append(settings.failOnWarning()).append('\n');
        for (String p : settings.passes()) sb.append("pass\t").append(p.strip()).append('\n');
        sb.append("sources\t").append(key(settings.sourcesOut())).append('\n');
        sb.append("resources\t").append(key(settings.resourcesOut())).append('\n');
        return Fingerprints.sha256(sb.toString());
    }

    private boolean isUpToDate(BuildState.Model m, String config, Fingerprints hashes) throws IOException {
        if (m.fingerprint().isEmpty()) return false;
        for (String out : m.outputs()) {
            if (!Files.isRegularFile(resolve(out))) return false;
        }
        for (String dep : m.dependencies()) {
            if (!Files.isRegularFile(resolve(dep))) return false;
        }
        return fingerprint(config, m.path(), m.dependencies(), hashes).equals(m.fingerprint());
    }

    private String fingerprint(String config, String model, List<String> deps, Fingerprints hashes) throws IOException {
        StringBuilder sb = new StringBuilder(config).append('\n').append(model).append('\n');
        for (String d : new TreeSet<>(deps)) sb.append(d).append('\t').append(hashes.file(d, resolve(d))).append('\n');
        return Fingerprints.sha256(sb.toString());
    }

    /** One graph's files in the staging area and where they go. */
    private record Planned(Path staged, Path target) {}

    private BuildState.Model compile(String rel, List<PassStatement> passes, String config, Fingerprints hashes, BuildState.Model before,
                                     Map<String, String> owners) throws IOException {
        Path file = settings.sourceDir().resolve(rel).toAbsolutePath().normalize();
        String shown = key(file);
        listener.info("Compiling " + shown);
        listener.compiling(file);
        Set<Path> read = ConcurrentHashMap.newKeySet();
        read.add(file);
        Function<Path, String> reader = p -> {
            String text = readSource(p);
            if (text != null) read.add(p.toAbsolutePath().normalize());
            return text;
        };
        Set<Problem> problems = new LinkedHashSet<>();
        List<Planned> planned = new ArrayList<>();
        Path staging = settings.workDir().resolve("staging");
        deleteTree(staging);
        boolean warned = false;
        try {
            List<Decl.Block> graphs = graphs(file, reader);
            String stem = file.getFileName().toString().replaceFirst("\\.model$", "");
            String relDir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
            String pkg = JavaNames.packageName(settings.packageName(), relDir);
            String pkgPath = pkg.replace('.', '/');
            String resourceDir = RESOURCE_ROOT + (pkgPath.isEmpty() ? "" : "/" + pkgPath);
            ElaborationOptions elaboration = ElaborationOptions.defaults().withRoot(settings.root().toAbsolutePath().normalize())
                    .withLimits(settings.limits().elaboration()).withSourceReader(reader);
            for (int g = 0; g < graphs.size(); g++) {
                Decl.Block graph = graphs.get(g);
                String cls = JavaNames.facadeName(stem, graph.name());
                if (FacadeGenerator.RESERVED.contains(cls)) cls = cls + "Model";
                try {
                    LoadedModel loaded = Lathe.load(file, new LoadOptions(graph.name(), passes, true, elaboration));
                    if (loaded.elaborated().weights() != null) read.add(loaded.elaborated().weights().file().toAbsolutePath().normalize());
                    for (Diagnostic w : loaded.warnings()) problems.add(problem(w));
                    PipelineResult compressed = PassPipeline.standard().run(Lathe.requireBound(loaded), loaded.plan(), List.of());
                    for (TargetReport t : compressed.report().targets()) {
                        if (t.applied()) {
                            listener.info("  " + t.pass() + " on " + t.target() + ": " + t.before().bytes() + " -> " + t.after().bytes()
                                    + " bytes");
                        } else {
                            problems.add(new Problem(Severity.WARNING, file, 0, 0, "graph " + graph.name() + ": " + t.pass() + " on "
                                    + t.target() + " skipped (" + t.reason().kind().label() + "): " + t.reason().message()));
                        }
                    }
                    Path dir = staging.resolve(Integer.toString(g));
                    JvmCompiler.Written written = JvmCompiler.write(compressed.graph(), cls, LowerOptions.defaults(), dir);
                    String source = FacadeGenerator.generate(new FacadeGenerator.Request(pkg, cls, key(file), graph.doc(), written.spec(),
                            resourceDir));
                    Path facade = dir.resolve(cls + ".java");
                    Files.writeString(facade, source, StandardCharsets.UTF_8);
                    Path resources = settings.resourcesOut().resolve(resourceDir);
                    planned.add(new Planned(facade, settings.sourcesOut().resolve(pkgPath).resolve(cls + ".java")));
                    planned.add(new Planned(written.descriptor(), resources.resolve(written.descriptor().getFileName().toString())));
                    planned.add(new Planned(written.classFile(), resources.resolve(written.classFile().getFileName().toString())));
                    planned.add(new Planned(written.weights(), resources.resolve(written.weights().getFileName().toString())));
                    listener.info("  graph " + graph.name() + " -> " + (pkg.isEmpty() ? "" : pkg + ".") + cls);
                } catch (DiagnosticException e) {
                    for (Diagnostic d : e.diagnostics()) problems.add(problem(d));
                } catch (UnsupportedOpException e) {
                    problems.add(new Problem(Severity.ERROR, file, 0, 0, "graph " + graph.name() + ": the " + settings.backend()
                            + " backend cannot compile it: " + e.getMessage()));
                }
            }
        } catch (DiagnosticException e) {
            for (Diagnostic d : e.diagnostics()) problems.add(problem(d));
        } catch (RuntimeException e) {
            // Anything but a diagnostic is a fault of the compiler, not of the model.
            throw new CompilerFault("internal error in the Lathe compiler while compiling " + shown + ": " + e, e);
        }

        boolean failed = false;
        for (Problem p : problems) {
            report(p);
            if (p.severity() == Severity.ERROR) failed = true;
            else warned = true;
        }
        if (warned && settings.failOnWarning()) {
            failed = true;
            report(new Problem(Severity.ERROR, file, 0, 0, "the warnings above fail the build (failOnWarning)"));
        }
        List<String> outputs = new ArrayList<>();
        if (!failed) {
            for (Planned p : planned) {
                String out = key(p.target());
                String owner = owners.get(out);
                if (owner != null && !owner.equals(rel)) {
                    report(new Problem(Severity.ERROR, file, 0, 0, "writes " + out + ", which " + owner + " writes too: rename one of"
                            + " them or give it a folder of its own"));
                    failed = true;
                }
            }
        }
        if (failed) {
            deleteTree(staging);
            // Keep the old outputs on record so that they are removed if the model goes away.
            return new BuildState.Model(rel, "", List.of(), before == null ? List.of() : before.outputs());
        }
        for (Planned p : planned) {
            if (OutputFiles.install(p.staged(), p.target())) listener.changed(p.target());
            String out = key(p.target());
            outputs.add(out);
            owners.put(out, rel);
        }
        deleteTree(staging);
        if (before != null) deleteOutputs(before.outputs(), new LinkedHashSet<>(outputs));
        List<String> deps = read.stream().map(this::key).sorted().toList();
        String fingerprint = fingerprint(config, rel, deps, hashes);
        // A model whose warnings failed the build is compiled (and fails) again next time.
        return new BuildState.Model(rel, fingerprint, deps, outputs);
    }

    /** The graphs of {@code file} in source order (none for a library of blocks). */
    private List<Decl.Block> graphs(Path file, Function<Path, String> reader) {
        String text = reader.apply(file);
        if (text == null) {
            throw new DiagnosticException(Diagnostic.error(ErrorCode.E0205, new SourceSpan(file.toString(), 0, 0, 1),
                    "cannot read model file " + file));
        }
        ModelFile ast = ModelParser.parse(file.toString(), text);
        List<Decl.Block> graphs = new ArrayList<>();
        for (Decl d : ast.decls()) {
            if (d instanceof Decl.Block b && b.graph()) graphs.add(b);
        }
        return graphs;
    }

    /** Reads a model file for the front end, enforcing the configured size limit (E0701). */
    private String readSource(Path file) {
        try {
            long size = Files.size(file);
            if (size > settings.limits().maxSourceBytes()) {
                throw new DiagnosticException(Diagnostic.error(ErrorCode.E0701, new SourceSpan(file.toString(), 1, 1, 1),
                        "source is " + size + " bytes, more than the limit of " + settings.limits().maxSourceBytes()
                                + " bytes (<limits><maxSourceBytes>)"));
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteOutputs(List<String> outputs, Set<String> keep) throws IOException {
        for (String out : outputs) {
            if (keep.contains(out)) continue;
            Path p = resolve(out);
            // Only ever delete inside the plugin's own output folders.
            if (!p.startsWith(settings.sourcesOut().toAbsolutePath().normalize())
                    && !p.startsWith(settings.resourcesOut().toAbsolutePath().normalize())) continue;
            if (Files.deleteIfExists(p)) listener.changed(p);
        }
    }

    /** One message for the build: {@code file} null when it points at no file, {@code line} 0 when at no line. */
    private record Problem(Severity severity, Path file, int line, int column, String text) {}

    /** A compiler diagnostic as a message: {@code E0301: text}, its notes on the lines below. */
    private static Problem problem(Diagnostic d) {
        SourceSpan span = d.span();
        Path file = null;
        try {
            Path p = Path.of(span.file());
            if (p.isAbsolute() && Files.isRegularFile(p)) file = p;
        } catch (RuntimeException e) {
            // not a path: a std module or a configuration origin such as <passes>[1]
        }
        StringBuilder text = new StringBuilder(d.code()).append(": ").append(d.message());
        for (Diagnostic.Note n : d.notes()) {
            text.append("\n  note: ").append(n.text());
            if (n.span() != null && n.span().line() > 0) text.append(" (").append(n.span().file()).append(":[").append(n.span().line())
                    .append(',').append(n.span().column()).append("])");
        }
        if (file != null) return new Problem(d.severity(), file, Math.max(span.line(), 0), Math.max(span.column(), 0), text.toString());
        if (!span.file().equals(SourceSpan.UNKNOWN.file())) {
            text.insert(0, (span.line() > 0 ? span.file() + ":[" + span.line() + "," + span.column() + "]" : span.file()) + " ");
        }
        return new Problem(d.severity(), null, 0, 0, text.toString());
    }

    private void report(Problem p) {
        if (p.severity() == Severity.ERROR) errors++;
        else warnings++;
        listener.message(p.severity(), p.file(), p.line(), p.column(), p.text());
    }

    /** How the state and messages name a path: relative to the project with {@code /}, else absolute. */
    String key(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = settings.baseDir().toAbsolutePath().normalize();
        return (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
    }

    private Path resolve(String key) {
        return settings.baseDir().toAbsolutePath().normalize().resolve(key).normalize();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
