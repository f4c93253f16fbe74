package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe report}, {@code lathe ir --after} and {@code lathe run} with passes, as a user runs them. */
class PassCommandsTest {
    private static final String MLP = CliTest.example("examples/mlp/mlp.model");

    private static Path randomInputs(Path dir, int rows) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[rows * 784];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        Path f = dir.resolve("x.npy");
        Npy.write(f, Tensor.ofFloats(new long[] {rows, 784}, v));
        return f;
    }

    @Test
    void reportPrintsTheTableAndWritesJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("report.json");
        Path x = randomInputs(dir, 6);
        Path y = dir.resolve("y.npy");
        Npy.write(y, Tensor.ofLongs(DType.I64, new long[] {6}, new long[] {0, 1, 2, 3, 4, 5}));
        CliTest.Result r = CliTest.lathe("report", MLP, "--pass", "lowrank(rank = 16) on \"fc2.weight\"", "--pass", "quantize(bits = 8) on \"fc3.weight\"",
                "--calibration", x.toString(), "--labels", y.toString(), "--json", json.toString());
        assertEquals(0, r.status(), r.err());
        // fc2: 512 * 512 = 262,144 params -> 16 * (512 + 512) = 16,384.
        assertTrue(r.out().lines().anyMatch(l -> l.matches("lowrank +fc2\\.weight +rank 16 +262144 -> 16384 .*")), r.out());
        // fc3: f32[10, 512] -> i8[10, 512] plus 10 f32 scales (per channel): 20,480 -> 5,160 bytes.
        assertTrue(r.out().lines().anyMatch(l -> l.matches("quantize +fc3\\.weight +int8 channel +5120 -> 5130 .* 20480 -> 5160 .*")), r.out());
        assertTrue(r.out().contains("  max |W - deq(Q(W))| <= "), r.out());
        assertTrue(r.out().contains("  ||W - BA||_2 = "), r.out());
        assertTrue(r.out().contains("measured on 6 calibration samples"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("logits ")), r.out());

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode fc2 = root.get("targets").get(0);
        assertEquals("fc2.weight", fc2.get("target").asText());
        assertEquals("applied", fc2.get("status").asText());
        assertEquals(16, fc2.get("args").get("rank").asInt());
        assertEquals(262144, fc2.get("before").get("params").asLong());
        assertEquals(16384, fc2.get("after").get("params").asLong());
        assertEquals("||W - BA||_F", fc2.get("certificate").get(0).get("quantity").asText());
        assertTrue(fc2.get("certificate").get(0).get("value").asDouble() > 0);
        JsonNode fc3 = root.get("targets").get(1);
        assertEquals("applied", fc3.get("status").asText());
        assertEquals(5160, fc3.get("after").get("bytes").asLong());
        JsonNode logits = root.get("calibration").get("outputs").get(0);
        assertEquals("logits", logits.get("output").asText());
        assertTrue(logits.get("relative_l2_error").asDouble() > 0);
        assertTrue(logits.get("accuracy_before").isNumber());
        assertEquals(669706 - 262144 + 16384 + 10, root.get("totals").get("after").get("params").asLong());
    }

    /** Issue 5's per-layer control: the later statement gives fc3 8 bits; the report lists each tensor's bits, granularity and bound. */
    /** The encoder declares four pass statements (one annotation, three in its passes section); --no-model-passes drops them. */
    @Test
    void noModelPassesLeavesOnlyTheCommandLineStatements() {
        String encoder = CliTest.example("examples/encoder/tiny_encoder.model");
        CliTest.Result all = CliTest.lathe("check", encoder);
        assertEquals(0, all.status(), all.err());
        assertFalse(all.out().contains(" 0 pass targets"), all.out());
        CliTest.Result none = CliTest.lathe("check", encoder, "--no-model-passes");
        assertEquals(0, none.status(), none.err());
        assertTrue(none.out().contains(", 0 pass targets"), none.out());
        CliTest.Result one = CliTest.lathe("check", encoder, "--no-model-passes", "--pass", "kernelize(method = \"favor\", features = 64) on \"**\"");
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().contains(", 2 pass targets"), "one kernelize statement, one attention per layer:\n" + one.out());
    }

    @Test
    void reportListsEachTensorsBitsGranularityAndBound() {
        CliTest.Result r = CliTest.lathe("report", MLP, "--pass", "quantize(bits = 4, granularity = \"group\", group = 32) on \"**.weight\"",
                "--pass", "quantize(bits = 8) on \"fc3.weight\"");
        assertEquals(0, r.status(), r.err());
        // fc1 has 784 inputs, which groups of 32 do not divide: skipped, and said why
        assertTrue(r.out().lines().anyMatch(l -> l.matches("quantize +fc1\\.weight +skipped \\(precondition failed\\) +.*")), r.out());
        assertTrue(r.out().contains("fc1.weight (quantize): skipped, precondition failed: group 32 does not divide its 784 inputs"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("quantize +fc2\\.weight +int4 group 32 +.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("quantize +fc3\\.weight +int8 channel +.*")), r.out());
        for (String tensor : new String[] {"fc2.weight", "fc3.weight"}) {
            String block = r.out().substring(r.out().indexOf(tensor + " (quantize)"));
            block = block.substring(0, block.indexOf("\n\n") < 0 ? block.length() : block.indexOf("\n\n"));
            assertTrue(block.contains("  bits: " + (tensor.equals("fc3.weight") ? 8 : 4)), block);
            assertTrue(block.contains("  granularity: " + (tensor.equals("fc3.weight") ? "channel" : "group 32")), block);
            assertTrue(block.contains("  max |W - deq(Q(W))| <= "), block);
        }
    }

    @Test
    void reportRefusesLabelsWithoutCalibrationAndSamplesOfTheWrongShape(@TempDir Path dir) throws IOException {
        CliTest.Result r = CliTest.lathe("report", MLP, "--labels", "y.npy");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--labels and --input need --calibration"), r.err());
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, Tensor.ofFloats(new long[] {2, 5}, new float[10]));
        CliTest.Result shape = CliTest.lathe("report", MLP, "--calibration", bad.toString());
        assertEquals(1, shape.status(), shape.err());
        assertTrue(shape.err().contains("error[E06"), shape.err());
        assertFalse(shape.err().contains("\tat "), shape.err());
    }

    @Test
    void irAfterAPassPrintsTheRewrittenGraph() {
        CliTest.Result r = CliTest.lathe("ir", MLP, "--pass", "lowrank(rank = 8) on \"fc3.weight\"", "--after=lowrank");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("// after lowrank (stage 1 of 1): 1 applied, 0 skipped\ngraph main\n"), r.out());
        assertTrue(r.out().contains("param %"), r.out());
        assertTrue(r.out().contains(" fc3.weight.A: f32[8, 512] (bound)"), r.out());
        assertTrue(r.out().contains("= lowrank_linear("), r.out());
        CliTest.Result all = CliTest.lathe("ir", MLP, "--pass", "lowrank(rank = 8) on \"fc3.weight\"", "--pass", "sparsify() on \"fc1.weight\"",
                "--after=all");
        assertEquals(0, all.status(), all.err());
        assertEquals(2, all.out().lines().filter(l -> l.startsWith("// after ")).count(), all.out());
        assertTrue(all.out().contains("= sparse_linear("), all.out());
        assertFalse(all.err().contains("warning: sparsify"), all.err());
        CliTest.Result missing = CliTest.lathe("ir", MLP, "--pass", "lowrank(rank = 8) on \"fc3.weight\"", "--after=quantize");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("--after quantize: the pipeline runs only lowrank"), missing.err());
    }

    @Test
    void runAppliesThePassesAndWarnsOnlyAboutSkippedTargets() {
        CliTest.Result plain = CliTest.lathe("run", MLP, "--random", "--seed", "2", "--dim", "B=2");
        CliTest.Result r = CliTest.lathe("run", MLP, "--random", "--seed", "2", "--dim", "B=2", "--pass", "lowrank(rank = 4) on \"fc3.weight\"",
                "--pass", "lowrank(rank = 500) on \"fc2.weight\"");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.err().contains("not implemented"), r.err());
        assertTrue(r.err().contains("warning: lowrank on fc2.weight skipped (unprofitable): rank 500 keeps"), r.err());
        assertFalse(r.err().contains("fc3.weight"), r.err());
        // fc3 at rank 4 of 10 changes the logits.
        assertFalse(plain.out().equals(r.out()), r.out());
    }
}
