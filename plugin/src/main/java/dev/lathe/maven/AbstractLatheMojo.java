package dev.lathe.maven;

import dev.lathe.diag.Severity;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.build.BuildContext;

/**
 * What the {@code compile} and {@code test-compile} goals share: the configuration, the
 * incremental build ({@link ModelBuild}) and the reporting of its messages, to the build log as
 * {@code path:[line,col] message} (as maven-compiler-plugin writes javac's) and, inside an IDE
 * (m2e), as markers on the files through the {@link BuildContext}.
 */
abstract class AbstractLatheMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected MojoExecution mojoExecution;

    /**
     * Pass statements appended to every model's own, one per element, in the syntax of the
     * {@code passes} section: {@code <pass>lowrank(energy = 0.95) on "**.fc1.weight"</pass>}.
     */
    @Parameter
    protected List<String> passes;

    /** The backend: {@code jvm} (the only one in this version). */
    @Parameter(property = "lathe.backend", defaultValue = "jvm")
    protected String backend;

    /** Model files to compile, relative to the source folder (Ant patterns); default {@code **}{@code /*.model}. */
    @Parameter
    protected List<String> includes;

    /** Model files to leave out, relative to the source folder (Ant patterns). */
    @Parameter
    protected List<String> excludes;

    /** Skips the goal. */
    @Parameter(property = "lathe.skip", defaultValue = "false")
    protected boolean skip;

    /** Fails the build when a model has warnings (unused weights, passes that skipped a target, ...). */
    @Parameter(property = "lathe.failOnWarning", defaultValue = "false")
    protected boolean failOnWarning;

    /** Caps on the input ({@code maxSourceBytes}, {@code maxNesting}, {@code maxNodes}, {@code maxRepeatIterations}). */
    @Parameter
    protected Limits limits;

    /**
     * The folder that imports and weights files must stay inside (E0704). The project folder by
     * default; a parent folder lets models use weights from outside the project.
     */
    @Parameter(property = "lathe.root", defaultValue = "${project.basedir}")
    protected File root;

    /**
     * The package of the façades of models at the top of the source folder; a model in a subfolder
     * gets the subfolder's path appended ({@code com/acme/m.model} gives {@code <packageName>.com.acme}).
     * Empty by default: the façade's package is its folder.
     */
    @Parameter(property = "lathe.packageName")
    protected String packageName;

    private final BuildContext buildContext;
    private final org.sonatype.plexus.build.incremental.BuildContext legacyContext;

    protected AbstractLatheMojo(BuildContext buildContext, org.sonatype.plexus.build.incremental.BuildContext legacyContext) {
        this.buildContext = buildContext;
        this.legacyContext = legacyContext;
    }

    /** The folder scanned for {@code .model} files. */
    protected abstract File sourceDirectory();

    /** The folder the façades are written to. */
    protected abstract File sourcesOutputDirectory();

    /** The folder the compiled models are written to, a resource root. */
    protected abstract File resourcesOutputDirectory();

    /** {@code compile} or {@code test-compile}: names the goal's private folder under the build directory. */
    protected abstract String goal();

    /** Why this execution does nothing, or null. */
    protected String skipReason() {
        return skip ? "lathe.skip is set" : null;
    }

    /** Registers the output folders with the project: a compile source root and a resource root. */
    protected abstract void addRoots(String sources, Resource resources);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        String why = skipReason();
        if (why != null) {
            getLog().info("Skipping Lathe " + goal() + ": " + why);
            return;
        }
        Path base = project.getBasedir().toPath();
        Path workDir = Path.of(project.getBuild().getDirectory(), "lathe", goal() + (isDefaultExecution() ? "" : "-" + executionId()));
        ModelBuild.Settings settings = new ModelBuild.Settings(base, sourceDirectory().toPath(), root.toPath(), includes, excludes, passes,
                backend == null ? "jvm" : backend.trim(), packageName, failOnWarning, limits, sourcesOutputDirectory().toPath(),
                resourcesOutputDirectory().toPath(), workDir, compilerId());
        ModelBuild.Result result;
        try {
            result = new ModelBuild(settings, new Reporter()).run();
        } catch (ModelBuild.ConfigurationException e) {
            throw new MojoFailureException("Lathe: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("Lathe: " + e, e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        if (result.models() == 0) {
            getLog().info("No model files in " + sourceDirectory());
        } else {
            getLog().info(summary(result));
        }
        if (!result.failed().isEmpty()) {
            throw new MojoFailureException("Lathe: " + result.failed().size() + (result.failed().size() == 1 ? " model" : " models")
                    + " did not compile (" + result.errors() + (result.errors() == 1 ? " error" : " errors") + " above): "
                    + String.join(", ", result.failed()));
        }
        Resource resources = new Resource();
        resources.setDirectory(resourcesOutputDirectory().getAbsolutePath());
        if (Files.isDirectory(sourcesOutputDirectory().toPath())) addRoots(sourcesOutputDirectory().getAbsolutePath(), resources);
    }

    private static String summary(ModelBuild.Result r) {
        StringBuilder sb = new StringBuilder("Lathe: ").append(r.models()).append(r.models() == 1 ? " model file, " : " model files, ");
        sb.append(r.compiled()).append(" compiled, ").append(r.upToDate()).append(" up to date");
        if (!r.failed().isEmpty()) sb.append(", ").append(r.failed().size()).append(" failed");
        if (r.libraries() > 0) sb.append(" (").append(r.libraries()).append(r.libraries() == 1 ? " library" : " libraries").append(" of blocks)");
        if (r.warnings() > 0) sb.append(", ").append(r.warnings()).append(r.warnings() == 1 ? " warning" : " warnings");
        return sb.toString();
    }

    private boolean isDefaultExecution() {
        String id = executionId();
        return id == null || id.startsWith("default-") || id.equals("default");
    }

    private String executionId() {
        return mojoExecution == null ? null : mojoExecution.getExecutionId();
    }

    /** Adds a resource folder once (m2e may run a goal several times on one project model). */
    protected static void addResourceOnce(List<Resource> existing, Resource resource, java.util.function.Consumer<Resource> add) {
        for (Resource r : existing) {
            if (resource.getDirectory().equals(r.getDirectory())) return;
        }
        add.accept(resource);
    }

    /**
     * The compiler's identity for the fingerprint: every Lathe artifact the plugin runs with, by
     * version, and for snapshots also by content, so that a rebuilt compiler recompiles the models.
     */
    private String compilerId() {
        List<String> parts = new ArrayList<>();
        PluginDescriptor plugin = mojoExecution == null ? null : mojoExecution.getMojoDescriptor().getPluginDescriptor();
        if (plugin != null) {
            List<Artifact> artifacts = new ArrayList<>();
            if (plugin.getPluginArtifact() != null) artifacts.add(plugin.getPluginArtifact());
            if (plugin.getArtifacts() != null) artifacts.addAll(plugin.getArtifacts());
            for (Artifact a : artifacts) {
                if (!"dev.lathe".equals(a.getGroupId())) continue;
                String id = a.getArtifactId() + ":" + a.getVersion();
                if (a.isSnapshot() && a.getFile() != null) id += ":" + contentHash(a.getFile().toPath());
                if (!parts.contains(id)) parts.add(id);
            }
        }
        parts.sort(null);
        return parts.isEmpty() ? "unknown" : String.join(",", parts);
    }

    private static final Map<String, String> JAR_HASHES = new ConcurrentHashMap<>();

    private static String contentHash(Path file) {
        try {
            if (!Files.isRegularFile(file)) return "dir";
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            String key = file.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
            return JAR_HASHES.computeIfAbsent(key, k -> {
                try {
                    return Fingerprints.sha256(file);
                } catch (IOException e) {
                    return "unreadable";
                }
            });
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /**
     * Messages to the log in the form build tools and IDE consoles link ({@code path:[line,col]
     * message}); inside an IDE also as markers through the BuildContext.
     */
    private final class Reporter implements ModelBuild.Listener {
        private final boolean ide = legacyContext != null
                && !legacyContext.getClass().getName().equals("org.sonatype.plexus.build.incremental.DefaultBuildContext");

        @Override
        public void message(Severity severity, Path file, int line, int column, String text) {
            String where = file == null ? "" : line > 0 ? file + ":[" + line + "," + column + "] " : file + ": ";
            String message = where + text;
            if (severity == Severity.ERROR) getLog().error(message);
            else getLog().warn(message);
            if (ide && file != null) {
                buildContext.addMessage(file.toFile(), line, column, text,
                        severity == Severity.ERROR ? BuildContext.SEVERITY_ERROR : BuildContext.SEVERITY_WARNING, null);
            }
        }

        @Override
        public void info(String text) {
            getLog().info(text);
        }

        @Override
        public void compiling(Path model) {
            if (ide) buildContext.removeMessages(model.toFile());
        }

        @Override
        public void changed(Path file) {
            buildContext.refresh(file.toFile());
        }
    }
}
