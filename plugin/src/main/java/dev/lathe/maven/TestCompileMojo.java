package dev.lathe.maven;

import java.io.File;
import javax.inject.Inject;
import org.apache.maven.model.Resource;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.codehaus.plexus.build.BuildContext;

/**
 * Compiles the models in {@code src/test/models} for the tests: façades in
 * {@code target/generated-test-sources/lathe} (a test source root), compiled models in
 * {@code target/generated-test-resources/lathe} (a test resource root). Skipped with
 * {@code -Dmaven.test.skip}, like test compilation.
 */
@Mojo(name = "test-compile", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public class TestCompileMojo extends AbstractLatheMojo {
    /** The folder scanned for {@code .model} files. */
    @Parameter(property = "lathe.testSourceDirectory", defaultValue = "${project.basedir}/src/test/models")
    private File testSourceDirectory;

    /** Where the Java façades go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/lathe")
    private File testOutputDirectory;

    /** Where the compiled models go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-resources/lathe")
    private File testResourcesDirectory;

    /** Set by {@code -Dmaven.test.skip=true}: no test is compiled, so neither are test models. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTestCompile;

    @Inject
    public TestCompileMojo(BuildContext buildContext, org.sonatype.plexus.build.incremental.BuildContext legacyContext) {
        super(buildContext, legacyContext);
    }

    @Override
    protected String skipReason() {
        if (skipTestCompile) return "maven.test.skip is set";
        return super.skipReason();
    }

    @Override
    protected File sourceDirectory() {
        return testSourceDirectory;
    }

    @Override
    protected File sourcesOutputDirectory() {
        return testOutputDirectory;
    }

    @Override
    protected File resourcesOutputDirectory() {
        return testResourcesDirectory;
    }

    @Override
    protected String goal() {
        return "test-compile";
    }

    @Override
    protected void addRoots(String sources, Resource resources) {
        project.addTestCompileSourceRoot(sources);
        addResourceOnce(project.getTestResources(), resources, project::addTestResource);
    }
}
