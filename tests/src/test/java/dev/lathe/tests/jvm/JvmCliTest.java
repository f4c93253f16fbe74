package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.LatheCommand;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.RunOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe compile}, {@code lathe run --backend jvm} and {@code lathe bench}, in-process. */
class JvmCliTest {
    record Result(int status, String out, String err) {}

    static Result lathe(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = LatheCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    static String mlp() {
        return JvmTestSupport.root().resolve("examples/mlp/mlp.model").toString();
    }

    @Test
    void compileWritesClassWeightsAndDescriptorThatLoadBack(@TempDir Path dir) throws IOException {
        Result r = lathe("compile", mlp(), "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("MlpMain.class")), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("MlpMain.safetensors")), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("MlpMain.lathe")), r.out());
        assertEquals("", JvmTestSupport.verify(Files.readAllBytes(dir.resolve("MlpMain.class"))));
        CompiledModel model = CompiledModel.load(dir.resolve("MlpMain.lathe"), RunOptions.defaults());
        Graph graph = JvmTestSupport.load("examples/mlp/mlp.model");
        Map<String, Tensor> in = JvmExamplesTest.randomBatch(graph, 4);
        JvmTestSupport.assertClose(Interpreter.run(graph, in), model.run(in), "mlp loaded from lathe compile's files");
    }

    @Test
    void runOnTheJvmBackendWritesWhatTheInterpreterWrites(@TempDir Path dir) throws IOException {
        Result jvm = lathe("run", mlp(), "--random", "--seed", "3", "--dim", "B=2", "--backend", "jvm", "--out", dir.resolve("jvm").toString());
        assertEquals(0, jvm.status(), jvm.err());
        Result interp = lathe("run", mlp(), "--random", "--seed", "3", "--dim", "B=2", "--backend", "interp", "--out", dir.resolve("interp").toString());
        assertEquals(0, interp.status(), interp.err());
        JvmTestSupport.assertClose(Map.of("logits", Npy.read(dir.resolve("interp/logits.npy"))), Map.of("logits", Npy.read(dir.resolve("jvm/logits.npy"))),
                "lathe run");
    }

    @Test
    void aBadInputOnTheJvmBackendIsE0604NamingTheInput(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("x.npy");
        Npy.write(bad, Tensor.ofFloats(new long[] {2, 5}, new float[10]));
        Result r = lathe("run", mlp(), "--in", "x=" + bad, "--backend", "jvm");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("error[E0604]") && r.err().contains("input x"), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    @Test
    void benchEndsWithMedianAndP90(@TempDir Path dir) {
        for (String backend : List.of("jvm", "interp")) {
            Result r = lathe("bench", mlp(), "--random", "--seed", "1", "--dim", "B=2", "--backend", backend, "--warmup", "2", "--runs", "5", "--threads", "2");
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertTrue(lines.getLast().matches("median_us=[0-9]+(\\.[0-9]+)? p90_us=[0-9]+(\\.[0-9]+)?"), r.out());
            assertTrue(r.out().contains("backend " + backend), r.out());
        }
    }
}
