package dev.lathe.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.ModelInputException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated façades compile with javac and run the compiled model with the graph's array types. */
class FacadeGeneratorTest {
    @TempDir Path dir;

    static final String MULTI = """
            model multi version 1;

            dim B in 1..16;
            dim S;

            /// Weighs x by `class` and sums it up <three ways> & more.
            graph main(x: f32[B, S, 4], class: f32[4], n: i64[B]) -> (sum: f32[B, S], scaled: f32[B, S, 4], total: f32[], twice: i64[B]) {
              s = x * class;
              row = sum(s, axes = [2]);
              return row, s, sum(row, axes = [0, 1]), n + n;
            }
            """;

    @Test
    void facadeTakesAndReturnsArraysOfTheGraphsRanks() throws Exception {
        TestProject project = new TestProject(dir);
        project.model("com/acme/multi.model", MULTI);
        ModelBuild.Result r = project.build();
        assertEquals(List.of(), r.failed(), project.messages.toString());
        String source = Files.readString(project.sourcesOut().resolve("com/acme/Multi.java"));
        assertTrue(source.contains("public Result run(float[][][] x, float[] class_, long[] n)"), source);
        assertTrue(source.contains("public record Result(float[][] sum, float[][][] scaled, float total, long[] twice) {}"), source);
        assertTrue(source.contains("&lt;three ways&gt; &amp; more"), source);

        Class<?> facade = compileAndLoad(project, "com.acme.Multi");
        Object model = facade.getMethod("load").invoke(null);
        Method run = facade.getMethod("run", float[][][].class, float[].class, long[].class);
        float[][][] x = new float[2][3][4];
        for (int b = 0; b < 2; b++) for (int s = 0; s < 3; s++) for (int k = 0; k < 4; k++) x[b][s][k] = b + 0.5f * s - 0.25f * k;
        float[] weights = {1, -2, 0.5f, 3};
        Object result = run.invoke(model, x, weights, new long[] {7, -4});

        float[][] expectedSum = new float[2][3];
        float[][][] expectedScaled = new float[2][3][4];
        float total = 0;
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 4; k++) {
                    expectedScaled[b][s][k] = x[b][s][k] * weights[k];
                    expectedSum[b][s] += expectedScaled[b][s][k];
                }
                total += expectedSum[b][s];
            }
        }
        Class<?> resultType = result.getClass();
        float[][] sum = (float[][]) resultType.getMethod("sum").invoke(result);
        float[][][] scaled = (float[][][]) resultType.getMethod("scaled").invoke(result);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(expectedSum[b], sum[b], 1e-5f);
            for (int s = 0; s < 3; s++) assertArrayEquals(expectedScaled[b][s], scaled[b][s], 1e-6f);
        }
        assertEquals(total, (float) resultType.getMethod("total").invoke(result), 1e-4f);
        assertArrayEquals(new long[] {14, -8}, (long[]) resultType.getMethod("twice").invoke(result));

        // Ragged arrays are the façade's to catch; dims outside their bounds are the runtime's (E0601).
        float[][][] ragged = {new float[3][4], new float[2][4]};
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> run.invoke(model, ragged, weights, new long[2]));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("x[1] has 2 elements, the first row has 3"), e.getCause().getMessage());
        e = assertThrows(InvocationTargetException.class, () -> run.invoke(model, new float[17][1][4], weights, new long[17]));
        ModelInputException bounds = assertInstanceOf(ModelInputException.class, e.getCause());
        assertEquals("E0601", bounds.code(), bounds.getMessage());
        e = assertThrows(InvocationTargetException.class, () -> run.invoke(model, new float[2][1][4], new float[5], new long[2]));
        assertInstanceOf(ModelInputException.class, e.getCause());
    }

    @Test
    void aSingleOutputIsReturnedAsItsArray() throws Exception {
        TestProject project = new TestProject(dir);
        project.model("tiny.model", ModelBuildTest.TINY);
        project.weights("tiny.safetensors", ModelBuildTest.tinyWeights());
        project.build();
        Class<?> facade = compileAndLoad(project, "Tiny");
        Object model = facade.getMethod("load").invoke(null);
        float[][] y = (float[][]) facade.getMethod("run", float[][].class).invoke(model, (Object) new float[][] {{1, 0, 0, 0}, {0, 0, 0, 1}});
        Tensor w = ModelBuildTest.tinyWeights().get("fc.weight");
        Tensor bias = ModelBuildTest.tinyWeights().get("fc.bias");
        for (int o = 0; o < 3; o++) {
            assertEquals(w.getDouble(o * 4) + bias.getDouble(o), y[0][o], 1e-6);
            assertEquals(w.getDouble(o * 4 + 3) + bias.getDouble(o), y[1][o], 1e-6);
        }
        assertEquals("main", facade.getField("GRAPH").get(null));
    }

    /** Compiles every generated façade with javac and loads {@code className} with the compiled models on the class path. */
    static Class<?> compileAndLoad(TestProject project, String className) throws Exception {
        Path classes = project.dir.resolve("target/classes");
        Files.createDirectories(classes);
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(project.sourcesOut())) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
        }
        Path runtime = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> options = List.of("-d", classes.toString(), "-cp", runtime.toString(), "-Xlint:all", "-Werror", "-proc:none");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null, options, null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromStrings(sources)).call();
        assertTrue(ok, out.toString());
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), project.resourcesOut().toUri().toURL()},
                FacadeGeneratorTest.class.getClassLoader());
        return Class.forName(className, true, loader);
    }
}
