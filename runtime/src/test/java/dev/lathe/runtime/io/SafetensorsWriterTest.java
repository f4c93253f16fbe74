package dev.lathe.runtime.io;

import static dev.lathe.runtime.io.Crafted.concat;
import static dev.lathe.runtime.io.Crafted.f32;
import static dev.lathe.runtime.io.Crafted.safetensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir Path dir;

    private static Map<String, Tensor> one(String key, Tensor t) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(key, t);
        return m;
    }

    /** The expected bytes come from the reference implementation's own serialization tests (tensor.rs). */
    @Test
    void matchesTheReferenceSerialization() throws IOException {
        float[] values = {0, 1, 2, 3, 4, 5};
        Path p = dir.resolve("a.safetensors");

        SafetensorsWriter.write(p, one("attn.0", Tensor.ofFloats(new long[] {1, 2, 3}, values.clone())), Map.of());
        byte[] expected = safetensors("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", f32(values));
        assertEquals(64, expected[0], "the reference's header length for this tensor");
        assertArrayEquals(expected, Files.readAllBytes(p));

        // A shorter name leaves the header unaligned: the reference pads it with 7 spaces to 72 bytes.
        SafetensorsWriter.write(p, one("attn0", Tensor.ofFloats(new long[] {1, 1, 2, 3}, values.clone())), Map.of());
        expected = safetensors("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", f32(values));
        assertEquals(72, expected[0]);
        assertArrayEquals(expected, Files.readAllBytes(p));

        SafetensorsWriter.write(p, Map.of(), Map.of());
        assertArrayEquals(safetensors("{}      ", new byte[0]), Files.readAllBytes(p));

        SafetensorsWriter.write(p, Map.of(), Map.of("framework", "pt"));
        assertArrayEquals(safetensors("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new byte[0]), Files.readAllBytes(p));
    }

    @Test
    void keysAreQuotedAsJson() throws IOException {
        Path p = dir.resolve("q.safetensors");
        String key = "a\"b\\c\nd\u0001é😀";
        SafetensorsWriter.write(p, one(key, Tensor.scalar(2f)), Map.of("k\"", "v\\"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of(key), f.keys());
            assertEquals(Tensor.scalar(2f), f.read(key));
            assertEquals(Map.of("k\"", "v\\"), f.metadata());
        }
        byte[] all = Files.readAllBytes(p);
        String header = new String(all, 8, all[0] & 0xFF, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\\\"\":\"v\\\\\"},\"a\\\"b\\\\c\\nd\\u0001é😀\":"), header);
    }

    @Test
    void dataFollowsMapOrderAndStartsAligned() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", Tensor.ofLongs(DType.I8, new long[] {3}, new long[] {-1, 0, 1}));
        tensors.put("a", Tensor.ofFloats(DType.BF16, new long[] {1}, new float[] {1f}));
        Path p = dir.resolve("o.safetensors");
        SafetensorsWriter.write(p, tensors, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("z", "a"), f.keys());
            long start = f.info("z").offset();
            assertEquals(0, start % 8);
            assertEquals(start + 3, f.info("a").offset());
        }
        byte[] all = Files.readAllBytes(p);
        assertArrayEquals(Crafted.bytes(0xFF, 0x00, 0x01, 0x80, 0x3F), java.util.Arrays.copyOfRange(all, all.length - 5, all.length));
    }

    @Test
    void refusesWhatTheFormatCannotHold() {
        Path p = dir.resolve("x.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(p, one("__metadata__", Tensor.scalar(1f)), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(p, one("q", Tensor.ofLongs(DType.I4, new long[] {1}, new long[] {3})), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(p, one("q", Tensor.ofLongs(DType.I32, new long[] {1}, new long[] {1L << 40})), Map.of()));
        assertTrue(Files.notExists(p));
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporaries() throws IOException {
        Path p = dir.resolve("keep.safetensors");
        SafetensorsWriter.write(p, one("a", Tensor.scalar(1f)), Map.of());
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.zeros(DType.F32, new long[] {100_000}));
        bad.put("bad", Tensor.ofLongs(DType.U8, new long[] {1}, new long[] {256})); // fails mid-way through the data
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(p, bad, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void oneByteTruncatedOrExtendedWrittenFileIsRejected() throws IOException {
        Path p = dir.resolve("t.safetensors");
        SafetensorsWriter.write(p, one("a", Tensor.ofDoubles(new long[] {2}, new double[] {1, 2})), Map.of());
        byte[] good = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(good, good.length - 1));
        assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(p));
        Files.write(p, concat(good, new byte[1]));
        assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(p));
    }
}
