package dev.lathe.maven;

import java.io.File;
import javax.inject.Inject;
import org.apache.maven.model.Resource;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.codehaus.plexus.build.BuildContext;

/**
 * Compiles the models in {@code src/main/models}: per graph a typed Java façade in
 * {@code target/generated-sources/lathe} (a compile source root) and the compiled model (class,
 * weights, descriptor) in {@code target/generated-resources/lathe} (a resource root, copied into
 * {@code target/classes} by the resources plugin).
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class CompileMojo extends AbstractLatheMojo {
    /** The folder scanned for {@code .model} files. */
    @Parameter(property = "lathe.sourceDirectory", defaultValue = "${project.basedir}/src/main/models")
    private File sourceDirectory;

    /** Where the Java façades go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/lathe")
    private File outputDirectory;

    /** Where the compiled models go: META-INF/lathe/&lt;package&gt;/&lt;Name&gt;.{lathe,class,safetensors}. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/lathe")
    private File resourcesDirectory;

    @Inject
    public CompileMojo(BuildContext buildContext, org.sonatype.plexus.build.incremental.BuildContext legacyContext) {
        super(buildContext, legacyContext);
    }

    @Override
    protected File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    protected File sourcesOutputDirectory() {
        return outputDirectory;
    }

    @Override
    protected File resourcesOutputDirectory() {
        return resourcesDirectory;
    }

    @Override
    protected String goal() {
        return "compile";
    }

    @Override
    protected void addRoots(String sources, Resource resources) {
        project.addCompileSourceRoot(sources);
        addResourceOnce(project.getResources(), resources, project::addResource);
    }
}
