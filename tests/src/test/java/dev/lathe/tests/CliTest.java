package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.LatheCommand;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lathe command as a user runs it (in-process, same code path as the launcher). */
class CliTest {
    record Result(int status, String out, String err) {}

    static Result lathe(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = LatheCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    static String example(String rel) {
        return RepoFiles.root().resolve(rel).toString();
    }

    @Test
    void checkAcceptsEveryExample() {
        for (String m : new String[] {"examples/mlp/mlp.model", "examples/cnn/small_cnn.model", "examples/encoder/tiny_encoder.model"}) {
            Result r = lathe("check", example(m));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains(": ok: graph main"), r.out());
        }
    }

    @Test
    void runWithRandomInputsPrintsAndWritesOutputs(@TempDir Path dir) throws IOException {
        Result r = lathe("run", example("examples/mlp/mlp.model"), "--random", "--seed", "1", "--dim", "B=3", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("logits: f32[3, 10] = ["), r.out());
        Tensor logits = Npy.read(dir.resolve("logits.npy"));
        assertArrayEquals(new long[] {3, 10}, logits.shape());
        // Same seed, same outputs.
        Result again = lathe("run", example("examples/mlp/mlp.model"), "--random", "--seed", "1", "--dim", "B=3");
        assertEquals(r.out().lines().findFirst(), again.out().lines().findFirst());
    }

    @Test
    void runReadsNpyInputsAndReportsABadShapeAsE0604(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("x.npy");
        Npy.write(bad, Tensor.ofFloats(new long[] {2, 5}, new float[10]));
        Result r = lathe("run", example("examples/mlp/mlp.model"), "--in", "x=" + bad);
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("error[E0604]"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void infoListsParamsAndFlopsPerInstance() {
        Result r = lathe("info", example("examples/mlp/mlp.model"), "--dim", "B=1");
        assertEquals(0, r.status(), r.err());
        // fc1: 784*512 + 512 = 401,920 params; FLOPs at B=1: 2*784*512 + 512 (bias) = 803,328.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fc1 (Linear)") && l.contains("401,920") && l.contains("803,328")), r.out());
        // total params: 401,920 + 262,656 + 5,130 = 669,706.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("total") && l.contains("669,706")), r.out());
    }

    @Test
    void fmtPrintsTheCanonicalFormAndCheckModeAgreesWithIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.model");
        Files.writeString(f, "model m version 1;\ngraph main(x: f32[2])->f32[2]{return relu(x);}\n");
        Result printed = lathe("fmt", f.toString());
        assertEquals(0, printed.status(), printed.err());
        assertEquals(1, lathe("fmt", "--check", f.toString()).status());
        assertEquals(0, lathe("fmt", "--write", f.toString()).status());
        assertEquals(printed.out(), Files.readString(f));
        assertEquals(0, lathe("fmt", "--check", f.toString()).status());
    }

    @Test
    void irPrintsTheTypedGraph() {
        Result r = lathe("ir", example("examples/encoder/tiny_encoder.model"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("f32[B, S, 256]"), r.out());
        assertTrue(r.out().contains("blk.1.mlp.fc2"), r.out());
    }

    @Test
    void missingFileIsAUserError() {
        Result r = lathe("check", "does/not/exist.model");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void unknownPassOnTheCommandLineIsE0501() {
        Result r = lathe("check", example("examples/mlp/mlp.model"), "--pass", "shrink(rank = 2) on \"fc1.weight\"");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("error[E0501]"), r.err());
    }
}
