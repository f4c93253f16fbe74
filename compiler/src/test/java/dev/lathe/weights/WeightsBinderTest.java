package dev.lathe.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.Severity;
import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.io.Npz;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsBinderTest {
    static final SourceSpan DECL = new SourceSpan("m.model", 5, 1, 7);

    @TempDir
    Path dir;

    /** A param declared on line 10 + its index, in instance {@code path} minus the last segment. */
    record P(String path, TensorType type) {}

    static P p(String path, DType dtype, long... shape) {
        return new P(path, TensorType.of(dtype, shape));
    }

    static Graph graph(P... params) {
        List<Param> list = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            String path = params[i].path();
            int dot = path.lastIndexOf('.');
            Provenance prov = new Provenance(new SourceSpan("m.model", 10 + i, 3, 5), dot < 0 ? "" : path.substring(0, dot));
            list.add(new Param(path, new Value(i, params[i].type(), ""), prov, null));
        }
        return new Graph("main", List.of(), list, List.of(), List.of(), Map.of());
    }

    static Tensor f32(long[] shape, float... values) {
        return Tensor.ofFloats(shape, values);
    }

    static Map<String, Tensor> tensors(Object... keyAndTensor) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < keyAndTensor.length; i += 2) m.put((String) keyAndTensor[i], (Tensor) keyAndTensor[i + 1]);
        return m;
    }

    Path safetensors(Map<String, Tensor> tensors) throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }

    static WeightsSpec strict(Path file, WeightsSpec.Rename... renames) {
        return new WeightsSpec(file, false, List.of(renames), DECL);
    }

    static WeightsSpec lenient(Path file) {
        return new WeightsSpec(file, true, List.of(), DECL);
    }

    static WeightsSpec.Rename rename(String from, String to) {
        return new WeightsSpec.Rename(from, to, new SourceSpan("m.model", 6, 3, from.length() + to.length() + 12));
    }

    static List<Diagnostic> errors(Graph graph, WeightsSpec spec) {
        return assertThrows(DiagnosticException.class, () -> WeightsBinder.bind(graph, spec)).diagnostics();
    }

    static Diagnostic onlyError(Graph graph, WeightsSpec spec) {
        List<Diagnostic> all = errors(graph, spec);
        assertEquals(1, all.size(), all.toString());
        return all.getFirst();
    }

    private static final Tensor W = f32(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    private static final Tensor B = f32(new long[] {2}, -1, 0.5f);
    private static final Graph LINEAR = graph(p("fc.weight", DType.F32, 2, 3), p("fc.bias", DType.F32, 2));

    @Test
    void bindsEveryParamFromSafetensors() throws IOException {
        BindResult r = WeightsBinder.bind(LINEAR, strict(safetensors(tensors("fc.bias", B, "fc.weight", W))));
        assertTrue(r.bound().isBound());
        assertEquals(W, r.bound().param("fc.weight").data());
        assertEquals(B, r.bound().param("fc.bias").data());
        assertEquals(List.of(), r.warnings());
        assertNull(LINEAR.param("fc.weight").data(), "the input graph is left as it was");
    }

    @Test
    void bindsEveryParamFromNpz() throws IOException {
        Path file = dir.resolve("w.npz");
        Npz.writeCompressed(file, tensors("fc.weight", W, "fc.bias", B));
        BindResult r = WeightsBinder.bind(LINEAR, strict(file));
        assertEquals(W, r.bound().param("fc.weight").data());
        assertEquals(B, r.bound().param("fc.bias").data());
    }

    @Test
    void halfPrecisionDataWidensExactlyToF32() throws IOException {
        // 65504 is the largest f16; 2^-24 its smallest subnormal; 1/3 rounds to bf16 0.333984375.
        Tensor half = Tensor.ofFloats(DType.F16, new long[] {3}, new float[] {65504f, 0x1p-24f, -1.5f});
        Tensor brain = Tensor.ofFloats(DType.BF16, new long[] {2}, new float[] {1f / 3, -2f});
        Graph g = graph(p("h", DType.F32, 3), p("b", DType.F32, 2));
        BindResult r = WeightsBinder.bind(g, strict(safetensors(tensors("h", half, "b", brain))));
        Tensor h = r.bound().param("h").data();
        assertEquals(DType.F32, h.dtype());
        assertArrayEquals(new float[] {65504f, 0x1p-24f, -1.5f}, h.toFloatArray());
        Tensor b = r.bound().param("b").data();
        assertEquals(DType.F32, b.dtype());
        assertArrayEquals(new float[] {0.333984375f, -2f}, b.toFloatArray());
    }

    @Test
    void f64AcceptsF32DataWidened() throws IOException {
        Graph g = graph(p("x", DType.F64, 2));
        Tensor t = WeightsBinder.bind(g, strict(safetensors(tensors("x", f32(new long[] {2}, 0.1f, 3f))))).bound().param("x").data();
        assertEquals(DType.F64, t.dtype());
        assertArrayEquals(new double[] {(double) 0.1f, 3.0}, t.toDoubleArray());
    }

    @Test
    void sameTypeIsBoundAsStored() throws IOException {
        Tensor ids = Tensor.ofLongs(DType.I8, new long[] {3}, new long[] {-128, 0, 127});
        Tensor half = Tensor.ofFloats(DType.F16, new long[] {1}, new float[] {0.5f});
        Graph g = graph(p("q", DType.I8, 3), p("h", DType.F16, 1));
        BindResult r = WeightsBinder.bind(g, strict(safetensors(tensors("q", ids, "h", half))));
        assertEquals(ids, r.bound().param("q").data());
        assertEquals(half, r.bound().param("h").data());
    }

    @Test
    void elementTypeNotAcceptedIsE0404() throws IOException {
        Tensor i64 = Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {1, 2});
        Tensor f64 = Tensor.ofDoubles(new long[] {2}, new double[] {1, 2});
        Graph g = graph(p("q", DType.I8, 2), p("w", DType.F32, 2), p("h", DType.F16, 2));
        List<Diagnostic> all = errors(g, strict(safetensors(tensors("q", i64, "w", f64, "h", f32(new long[] {2}, 1, 2)))));
        assertEquals(List.of("E0404", "E0404", "E0404"), all.stream().map(Diagnostic::code).toList());
        assertEquals("weight q is i64 in the file, but the param is declared i8; an i8 param accepts i8 data", all.get(0).message());
        assertEquals("weight w is f64 in the file, but the param is declared f32; an f32 param accepts f32, f16 or bf16 data",
                all.get(1).message());
        // no narrowing, even between floats
        assertEquals("weight h is f32 in the file, but the param is declared f16; an f16 param accepts f16 data", all.get(2).message());
    }

    @Test
    void shapeMismatchNamesBothShapesAndPointsAtTheParam() throws IOException {
        Diagnostic d = onlyError(LINEAR, strict(safetensors(tensors("fc.weight", f32(new long[] {3, 2}, 1, 2, 3, 4, 5, 6), "fc.bias", B))));
        assertEquals("E0405", d.code());
        assertEquals("weight fc.weight has shape f32[3, 2] in the file, but the param is declared f32[2, 3]", d.message());
        assertSame(DECL, d.span());
        assertEquals("declaration of param fc.weight in instance fc", d.notes().getFirst().text());
        assertEquals(new SourceSpan("m.model", 10, 3, 5), d.notes().getFirst().span());
    }

    @Test
    void missingWeightListsTheClosestFileKeys() throws IOException {
        Graph g = graph(p("blk.0.mlp.fc1.weight", DType.F32, 2), p("blk.0.mlp.fc2.weight", DType.F32, 2));
        Tensor t = f32(new long[] {2}, 1, 2);
        List<Diagnostic> all = errors(g, strict(safetensors(tensors("head.weight", t, "blk.1.mlp.fc1.weights", t,
                "blk.0.mlp.fc_1.weight", t, "blk.0.mlp.fc1.bias", t, "blk.0.mlp.fc2.weight", t))));
        assertEquals(List.of("E0403", "E0406"), all.stream().map(Diagnostic::code).toList());
        // distances 1, 1 (file order breaks the tie), 2; fc1.bias is 5 and head.weight 13 away
        assertEquals("missing weight blk.0.mlp.fc1.weight: closest file keys: blk.0.mlp.fc_1.weight, blk.0.mlp.fc2.weight, "
                + "blk.1.mlp.fc1.weights", all.get(0).message());
        assertEquals("declaration of param blk.0.mlp.fc1.weight in instance blk.0.mlp.fc1", all.get(0).notes().getFirst().text());
        assertEquals("4 unused weights in " + dir.resolve("w.safetensors") + ": head.weight, blk.1.mlp.fc1.weights, "
                + "blk.0.mlp.fc_1.weight, blk.0.mlp.fc1.bias", all.get(1).message());
    }

    @Test
    void anEmptyFileSaysSo() throws IOException {
        Diagnostic d = onlyError(graph(p("w", DType.F32, 1)), strict(safetensors(Map.of())));
        assertEquals("missing weight w: the file has no tensors", d.message());
    }

    @Test
    void unusedKeysAreAnErrorWhenStrictAndOneWarningWhenLenient() throws IOException {
        Path file = safetensors(tensors("fc.weight", W, "fc.bias", B, "extra.a", B, "extra.b", B));
        Diagnostic d = onlyError(LINEAR, strict(file));
        assertEquals("E0406", d.code());
        assertEquals(Severity.ERROR, d.severity());
        assertEquals("2 unused weights in " + file + ": extra.a, extra.b", d.message());

        BindResult r = WeightsBinder.bind(LINEAR, lenient(file));
        assertTrue(r.bound().isBound());
        assertEquals(1, r.warnings().size());
        Diagnostic w = r.warnings().getFirst();
        assertEquals("E0406", w.code());
        assertEquals(Severity.WARNING, w.severity());
        assertEquals("2 unused weights in " + file + ": extra.a, extra.b", w.message());
    }

    @Test
    void lenientStillNeedsEveryParam() throws IOException {
        assertEquals("E0403", onlyError(LINEAR, lenient(safetensors(tensors("fc.weight", W)))).code());
    }

    @Test
    void renameRulesRewriteFileKeysBeforeMatching() throws IOException {
        Tensor t = f32(new long[] {1}, 7);
        Graph g = graph(p("blk.0.w", DType.F32, 1), p("blk.1.w", DType.F32, 1), p("first.v", DType.F32, 1), p("head.w", DType.F32, 1));
        Path file = safetensors(tensors("layers.0.v", t, "layers.0.w", t, "layers.1.w", t, "head.w", t));
        // the first matching rule wins: layers.0.v is renamed by the first rule, layers.0.w by the second
        WeightsSpec spec = strict(file, rename("layers.0.v", "first.v"), rename("layers.{i}.", "blk.{i}."));
        BindResult r = WeightsBinder.bind(g, spec);
        assertTrue(r.bound().isBound());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void errorsAfterRenamingNameTheFileKey() throws IOException {
        Graph g = graph(p("blk.0.w", DType.F32, 2));
        Diagnostic d = onlyError(g, strict(safetensors(tensors("layers.0.w", f32(new long[] {1}, 7))), rename("layers.{i}.", "blk.{i}.")));
        assertEquals("weight blk.0.w (file key layers.0.w) has shape f32[1] in the file, but the param is declared f32[2]", d.message());
    }

    @Test
    void missingKeysAreSuggestedAfterRenaming() throws IOException {
        Tensor t = f32(new long[] {1}, 7);
        Graph g = graph(p("blk.0.w", DType.F32, 1), p("blk.0.v", DType.F32, 1));
        List<Diagnostic> all = errors(g, strict(safetensors(tensors("layers.0.w", t, "layers.0.vv", t)), rename("layers.{i}.", "blk.{i}.")));
        // both renamed keys are one edit away; file order breaks the tie
        assertEquals("missing weight blk.0.v: closest file keys: blk.0.w, blk.0.vv", all.getFirst().message());
        assertEquals("1 unused weight in " + dir.resolve("w.safetensors") + ": layers.0.vv (renamed blk.0.vv)", all.get(1).message());
    }

    @Test
    void aReplacementNameNotInThePatternIsE0407AtTheRule() throws IOException {
        WeightsSpec.Rename bad = rename("layers.{i}.", "blk.{j}.");
        Diagnostic d = onlyError(LINEAR, strict(safetensors(tensors("fc.weight", W, "fc.bias", B)), bad));
        assertEquals("E0407", d.code());
        assertSame(bad.span(), d.span());
        assertEquals("rename replacement \"blk.{j}.\" uses {j}, which the pattern \"layers.{i}.\" does not define", d.message());
    }

    @Test
    void twoFileKeysRenamedToOneKeyIsE0407() throws IOException {
        Tensor t = f32(new long[] {1}, 7);
        Graph g = graph(p("blk.w", DType.F32, 1));
        Diagnostic d = onlyError(g, strict(safetensors(tensors("layers.0.w", t, "layers.1.w", t)), rename("layers.{i}.", "blk.")));
        assertEquals("E0407", d.code());
        assertEquals("rename rules give several file keys the same name: layers.0.w and layers.1.w all become blk.w", d.message());
    }

    @Test
    void aRenamedKeyMayNotCollideWithAnUnrenamedOne() throws IOException {
        Tensor t = f32(new long[] {1}, 7);
        Graph g = graph(p("blk.0.w", DType.F32, 1));
        Diagnostic d = onlyError(g, strict(safetensors(tensors("blk.0.w", t, "layers.0.w", t)), rename("layers.{i}.", "blk.{i}.")));
        assertEquals("rename rules give several file keys the same name: blk.0.w and layers.0.w all become blk.0.w", d.message());
    }

    @Test
    void aRuleThatMatchesNoKeyIsAWarning() throws IOException {
        WeightsSpec.Rename unused = rename("model.", "");
        BindResult r = WeightsBinder.bind(LINEAR, strict(safetensors(tensors("fc.weight", W, "fc.bias", B)), unused));
        assertEquals(1, r.warnings().size());
        assertEquals("E0407", r.warnings().getFirst().code());
        assertSame(unused.span(), r.warnings().getFirst().span());
    }

    @Test
    void aMissingFileIsE0401() {
        Path file = dir.resolve("nope.safetensors");
        Diagnostic d = onlyError(LINEAR, strict(file));
        assertEquals("E0401", d.code());
        assertEquals("weights file " + file + " not found", d.message());
        assertEquals("E0401", onlyError(LINEAR, strict(dir.resolve("nope.npz"))).code());
    }

    @Test
    void aDirectoryIsE0401() throws IOException {
        Path d = Files.createDirectory(dir.resolve("w.safetensors"));
        assertEquals("weights file " + d + " cannot be read: it is a directory", onlyError(LINEAR, strict(d)).message());
    }

    @Test
    void aNpyFileIsNotAWeightsFile() throws IOException {
        Path file = dir.resolve("w.npy");
        Npy.write(file, W);
        Diagnostic d = onlyError(LINEAR, strict(file));
        assertEquals("E0401", d.code());
        assertEquals("weights file " + file + " cannot be read: a .npy file holds a single unnamed tensor, not a set of named "
                + "weights; use .safetensors or .npz", d.message());
        assertEquals("weights file " + dir.resolve("w.bin") + " cannot be read: the format is unknown; weights files end in "
                + ".safetensors or .npz", onlyError(LINEAR, strict(dir.resolve("w.bin"))).message());
    }

    @Test
    void aMalformedFileIsE0402WithTheReadersReason() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        Diagnostic d = onlyError(LINEAR, strict(file));
        assertEquals("E0402", d.code());
        assertEquals("malformed weights file: " + file + ": the file has 3 bytes, too few for the 8-byte header length", d.message());

        Path npz = dir.resolve("w.npz");
        Files.writeString(npz, "this is not a zip archive");
        Diagnostic z = onlyError(LINEAR, strict(npz));
        assertEquals("E0402", z.code());
        assertTrue(z.message().startsWith("malformed weights file: " + npz + ": not a valid zip archive"), z.message());
    }

    @Test
    void aHeaderAboveTheLimitIsE0705() throws IOException {
        Path file = dir.resolve("w.safetensors");
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array();
        Files.write(file, bytes);
        Diagnostic d = onlyError(LINEAR, strict(file));
        assertEquals("E0705", d.code());
        assertTrue(d.message().contains("200000000"), d.message());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Graph g = graph(p("a", DType.F32, 2), p("b", DType.I32, 2), p("c", DType.F32, 1), p("d", DType.F32, 1));
        Tensor i64 = Tensor.ofLongs(DType.I64, new long[] {3}, new long[] {1, 2, 3});
        Path file = safetensors(tensors("a", f32(new long[] {2}, 1, 2), "b", i64, "c", f32(new long[] {1}, 1), "zzz", B));
        List<Diagnostic> all = errors(g, strict(file));
        // b is wrong twice (type and shape), d is missing, zzz is unused
        assertEquals(List.of("E0404", "E0405", "E0403", "E0406"), all.stream().map(Diagnostic::code).toList());
    }
}
