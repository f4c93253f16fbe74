package dev.lathe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe compile --backend tornadovm}: the files it writes compile (against the stand-in API here) and run; clear errors otherwise. */
class CompileTornadoVmTest {
    record Result(int status, String out, String err) {}

    static Result lathe(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = LatheCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        return p;
    }

    /** A copy of the mlp example with seeded weights written next to it (the examples module generates the real ones later in the build). */
    static Path mlpWithWeights(Path dir) throws Exception {
        Path model = dir.resolve("mlp.model");
        Files.copy(root().resolve("examples/mlp/mlp.model"), model);
        Graph g = Lathe.load(model, LoadOptions.defaults().withBindWeights(false)).graph();
        SplittableRandom r = new SplittableRandom(1);
        Map<String, Tensor> w = new java.util.LinkedHashMap<>();
        for (var p : g.params()) {
            long[] shape = p.type().staticShape();
            float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-0.1, 0.1);
            w.put(p.path(), Tensor.ofFloats(shape, v));
        }
        dev.lathe.runtime.io.SafetensorsWriter.write(dir.resolve("mlp.safetensors"), w, Map.of());
        return model;
    }

    @Test
    void writesSourcesAndWeightsThatCompileAndAgreeWithTheInterpreter(@TempDir Path dir) throws Exception {
        Path model = mlpWithWeights(dir);
        Path out = dir.resolve("out");
        Result r = lathe("compile", model.toString(), "--backend", "tornadovm", "--dim", "B=2", "--package", "demo.gen", "--name", "Mlp", "-o", out.toString());
        assertEquals(0, r.status(), r.err());
        Path kernels = out.resolve("demo/gen/MlpKernels.java"), host = out.resolve("demo/gen/Mlp.java"), weights = out.resolve("Mlp.safetensors");
        assertEquals("wrote " + kernels + "\nwrote " + host + "\nwrote " + weights + "\n", r.out().replace("\r", ""));
        assertTrue(Files.readString(kernels).contains("@Parallel"));

        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none", kernels.toString(), host.toString());
        assertEquals(0, rc, "javac on the written sources");
        Graph graph = Lathe.requireBound(Lathe.load(model, LoadOptions.defaults()));
        float[] x = new float[2 * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {2, 784}, x));
        Tensor expected = Interpreter.run(graph, in).get("logits");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> c = loader.loadClass("demo.gen.Mlp");
            AutoCloseable m = (AutoCloseable) c.getConstructor(Path.class).newInstance(weights);
            Method run = c.getMethod("run", Map.class);
            @SuppressWarnings("unchecked")
            Tensor actual = ((Map<String, Tensor>) run.invoke(m, in)).get("logits");
            for (int i = 0; i < expected.size(); i++) {
                double e = expected.getDouble(i), a = actual.getDouble(i);
                assertTrue(Math.abs(e - a) <= 1e-5 + 1e-4 * Math.abs(e), "logit " + i + ": " + a + " vs " + e);
            }
            m.close();
        }
    }

    @Test
    void anUnboundDimIsAUserError(@TempDir Path dir) throws Exception {
        Result r = lathe("compile", mlpWithWeights(dir).toString(), "--backend", "tornadovm", "-o", dir.resolve("out").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("bind B (lathe compile --dim NAME=N)"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aDimOutsideItsBoundsIsAUserError(@TempDir Path dir) throws Exception {
        Result r = lathe("compile", mlpWithWeights(dir).toString(), "--backend", "tornadovm", "--dim", "B=5000", "-o", dir.resolve("out").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("dim B = 5000 is outside its declared bounds [1..1024]"), r.err());
    }

    @Test
    void anUnsupportedOpIsAUserError(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("emb.model");
        Files.writeString(model, """
                model emb version 1;
                graph main(idx: i64[3], table: f32[10, 4]) -> (e: f32[3, 4]) {
                  return embedding(idx, table);
                }
                """);
        Result r = lathe("compile", model.toString(), "--backend", "tornadovm", "-o", dir.resolve("out").toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("does not emit gathers"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** {@code lathe compile --help} prints the usage (the subcommand has no help option of its own, so picocli prints it with the missing FILE). */
    @Test
    void helpListsTheBackend() {
        Result r = lathe("compile", "--help");
        String usage = r.out() + r.err();
        assertTrue(usage.contains("--backend=BACKEND"), usage);
        assertTrue(usage.contains("what to write: jvm, tornadovm"), usage);
    }
}
