package dev.lathe.runtime.io;

import static dev.lathe.runtime.io.Crafted.bytes;
import static dev.lathe.runtime.io.Crafted.concat;
import static dev.lathe.runtime.io.Crafted.f32;
import static dev.lathe.runtime.io.Crafted.i32;
import static dev.lathe.runtime.io.Crafted.i64;
import static dev.lathe.runtime.io.Crafted.safetensors;
import static dev.lathe.runtime.io.Crafted.u16;
import static dev.lathe.runtime.io.Crafted.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-built safetensors files: valid ones read back exactly, each broken rule is reported by name. */
class SafetensorsReaderTest {
    @TempDir Path dir;

    private Path file(byte[] content) throws IOException {
        return Crafted.write(dir, "model.safetensors", content);
    }

    /** Opens {@code content}, expecting failure; checks that the message names the file and {@code rule}. */
    private WeightsFormatException rejects(byte[] content, String rule) throws IOException {
        return rejects(content, SafetensorsLimits.DEFAULT, rule);
    }

    private WeightsFormatException rejects(byte[] content, SafetensorsLimits limits, String rule) throws IOException {
        Path p = file(content);
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(p, limits).close());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> "expected the rule '" + rule + "' in: " + e.getMessage());
        return e;
    }

    private static String entry(String key, String dtype, String shape, long begin, long end) {
        return "\"" + key + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    // ---- valid files ----

    @Test
    void readsEveryDtypeFromHandBuiltBytes() throws IOException {
        String header = "{" + String.join(",",
                entry("f32", "F32", "[2]", 0, 8),
                entry("f64", "F64", "[]", 8, 16),
                entry("f16", "F16", "[3]", 16, 22),
                entry("bf16", "BF16", "[2]", 22, 26),
                entry("i64", "I64", "[1]", 26, 34),
                entry("i32", "I32", "[2]", 34, 42),
                entry("i8", "I8", "[2]", 42, 44),
                entry("u8", "U8", "[2]", 44, 46),
                entry("bool", "BOOL", "[3]", 46, 49)) + "}";
        byte[] data = concat(
                f32(1.5f, -0.0f),
                Crafted.u64(Double.doubleToRawLongBits(-3.25)),
                u16(0x3C00, 0x7BFF, 0xFC00),
                u16(0x3F80, 0xC000),
                i64(Long.MIN_VALUE),
                i32(-7, Integer.MAX_VALUE),
                bytes(0x80, 0x7F),
                bytes(0xFF, 0x00),
                bytes(1, 0, 1));
        try (SafetensorsFile f = SafetensorsFile.open(file(safetensors(header, data)))) {
            assertEquals(List.of("f32", "f64", "f16", "bf16", "i64", "i32", "i8", "u8", "bool"), f.keys());
            assertEquals(Tensor.ofFloats(new long[] {2}, new float[] {1.5f, -0.0f}), f.read("f32"));
            assertEquals(Tensor.ofDoubles(new long[0], new double[] {-3.25}), f.read("f64"));
            assertEquals(Tensor.ofFloats(DType.F16, new long[] {3}, new float[] {1f, 65504f, Float.NEGATIVE_INFINITY}), f.read("f16"));
            assertEquals(Tensor.ofFloats(DType.BF16, new long[] {2}, new float[] {1f, -2f}), f.read("bf16"));
            assertEquals(Tensor.ofLongs(DType.I64, new long[] {1}, new long[] {Long.MIN_VALUE}), f.read("i64"));
            assertEquals(Tensor.ofLongs(DType.I32, new long[] {2}, new long[] {-7, Integer.MAX_VALUE}), f.read("i32"));
            assertEquals(Tensor.ofLongs(DType.I8, new long[] {2}, new long[] {-128, 127}), f.read("i8"));
            assertEquals(Tensor.ofLongs(DType.U8, new long[] {2}, new long[] {255, 0}), f.read("u8"));
            assertEquals(Tensor.ofBooleans(new long[] {3}, new boolean[] {true, false, true}), f.read("bool"));
            assertEquals(Map.of(), f.metadata());
        }
    }

    @Test
    void infoAndSegmentPointIntoTheFile() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"\\u00e9\\n\"}," + entry("b", "I32", "[1]", 8, 12) + ","
                + entry("a", "F32", "[2]", 0, 8) + "}";
        byte[] content = safetensors(header, concat(f32(1f, 2f), i32(42)));
        long dataStart = content.length - 12;
        try (SafetensorsFile f = SafetensorsFile.open(file(content))) {
            assertEquals(List.of("b", "a"), f.keys(), "header order, not offset order");
            assertEquals(Map.of("format", "pt", "note", "é\n"), f.metadata());
            assertEquals(new TensorInfo(DType.I32, new long[] {1}, dataStart + 8, 4), f.info("b"));
            assertEquals(new TensorInfo(DType.F32, new long[] {2}, dataStart, 8), f.info("a"));
            MemorySegment seg = f.segment("b");
            assertEquals(4, seg.byteSize());
            assertEquals(42, seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0));
            assertTrue(seg.isReadOnly());
            assertThrows(NoSuchElementException.class, () -> f.read("missing"));
        }
    }

    @Test
    void emptyHeaderAndZeroSizedTensorsAreValid() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file(safetensors("{}      ", new byte[0])))) {
            assertEquals(List.of(), f.keys());
        }
        String header = "{" + entry("z", "F32", "[0,3]", 0, 0) + "," + entry("x", "U8", "[1]", 0, 1) + "," + entry("e", "I64", "[0]", 1, 1) + "}";
        try (SafetensorsFile f = SafetensorsFile.open(file(safetensors(header, bytes(9))))) {
            assertEquals(Tensor.zeros(DType.F32, new long[] {0, 3}), f.read("z"));
            assertEquals(Tensor.ofLongs(DType.U8, new long[] {1}, new long[] {9}), f.read("x"));
            assertEquals(Tensor.zeros(DType.I64, new long[] {0}), f.read("e"));
        }
    }

    @Test
    void whitespaceInsideAndAfterTheJsonIsAllowed() throws IOException {
        String header = "{\n  \"a\" : { \"dtype\" : \"U8\", \"shape\" : [ 1 ], \"data_offsets\" : [ 0 , 1 ] }\n}\t\r\n   ";
        try (SafetensorsFile f = SafetensorsFile.open(file(safetensors(header, bytes(3))))) {
            assertEquals(3, f.read("a").getLong(0));
        }
    }

    @Test
    void closedFilesRefuseReads() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file(safetensors("{" + entry("a", "U8", "[1]", 0, 1) + "}", bytes(3))));
        MemorySegment seg = f.segment("a");
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> f.read("a"));
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(NoSuchFileException.class, () -> SafetensorsFile.open(dir.resolve("absent.safetensors")));
    }

    // ---- one file per rule ----

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        rejects(bytes(2, 0, 0, 0, 0, 0, 0), "too few for the 8-byte header length");
        rejects(new byte[0], "too few for the 8-byte header length");
    }

    @Test
    void headerLongerThanTheCap() throws IOException {
        Path p = file(concat(u64(100_000_001L), "{}".getBytes(StandardCharsets.US_ASCII)));
        HeaderTooLargeException e = assertThrows(HeaderTooLargeException.class, () -> SafetensorsFile.open(p));
        assertEquals(100_000_001L, e.declared());
        assertTrue(e.getMessage().contains("exceeds the limit of 100000000 bytes"), e.getMessage());

        byte[] valid = safetensors("{}      ", new byte[0]);
        assertThrows(HeaderTooLargeException.class, () -> SafetensorsFile.open(file(valid), new SafetensorsLimits(7)));
        SafetensorsFile.open(file(valid), new SafetensorsLimits(8)).close();
    }

    @Test
    void headerLengthAbove2To63IsTooLargeNotNegative() throws IOException {
        HeaderTooLargeException e = assertThrows(HeaderTooLargeException.class,
                () -> SafetensorsFile.open(file(concat(u64(-1L), bytes('{', '}')))));
        assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
    }

    @Test
    void headerRunningPastTheFile() throws IOException {
        rejects(concat(u64(10), "{}".getBytes(StandardCharsets.US_ASCII)), "runs past the end of the file");
    }

    @Test
    void headerNotUtf8() throws IOException {
        rejects(concat(u64(4), bytes('{', 0xC3, 0x28, '}')), "not valid UTF-8");
    }

    @Test
    void headerNotStartingWithBrace() throws IOException {
        rejects(safetensors(" {}", new byte[0]), "must start with '{'");
        rejects(safetensors("", new byte[0]), "must start with '{'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{}x", "{\"a\":1,}", "{'a':1}", "{\"a\":01}", "{\"a\":\"\\ud800\"}", "{\"a\":tru}", "{\"a\":[1,]}"})
    void headerNotValidJson(String header) throws IOException {
        rejects(safetensors(header, new byte[0]), "not valid JSON");
    }

    @Test
    void nestingIsBounded() throws IOException {
        String deep = "{\"__metadata__\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        rejects(safetensors(deep, new byte[0]), "nesting deeper than");
    }

    @Test
    void duplicateKeys() throws IOException {
        String header = "{" + entry("a", "U8", "[1]", 0, 1) + "," + entry("a", "U8", "[1]", 1, 2) + "}";
        rejects(safetensors(header, bytes(1, 2)), "duplicate key \"a\"");
    }

    @Test
    void metadataMustBeAnObjectOfStrings() throws IOException {
        rejects(safetensors("{\"__metadata__\":[]}", new byte[0]), "\"__metadata__\" must be an object of string values");
        rejects(safetensors("{\"__metadata__\":null}", new byte[0]), "\"__metadata__\" must be an object of string values");
        rejects(safetensors("{\"__metadata__\":{\"epochs\":3}}", new byte[0]), "\"__metadata__\" values must be strings, but \"epochs\" is a number");
    }

    @Test
    void tensorEntryMustBeAnObject() throws IOException {
        WeightsFormatException e = rejects(safetensors("{\"w\":[0,1]}", new byte[0]), "must be an object with dtype, shape and data_offsets");
        assertEquals("w", e.key());
    }

    @Test
    void unknownField() throws IOException {
        String header = "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"offset\":0}}";
        WeightsFormatException e = rejects(safetensors(header, bytes(1)), "unknown field \"offset\"");
        assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());
    }

    @Test
    void missingField() throws IOException {
        rejects(safetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", bytes(1)), "missing field \"data_offsets\"");
        rejects(safetensors("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", bytes(1)), "missing field \"dtype\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"F8_E4M3", "F8_E5M2", "I16", "U16", "U32", "U64", "f32", "C64"})
    void unsupportedDtypeIsNamed(String dtype) throws IOException {
        String header = "{" + entry("w", dtype, "[1]", 0, 1) + "}";
        WeightsFormatException e = rejects(safetensors(header, bytes(1)), "dtype \"" + dtype + "\" is not supported");
        assertTrue(e.getMessage().contains("supported: F32, F16, BF16, F64, I64, I32, I8, U8, BOOL"), e.getMessage());
    }

    @Test
    void dtypeMustBeAString() throws IOException {
        rejects(safetensors("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", bytes(0, 0, 0, 0)), "dtype must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[-1]", "[2.0]", "[1e1]", "[\"2\"]", "[null]"})
    void shapeEntriesMustBeNonNegativeIntegers(String shape) throws IOException {
        rejects(safetensors("{" + entry("w", "U8", shape, 0, 2) + "}", bytes(1, 2)), "shape entries must be non-negative integers");
    }

    @Test
    void shapeMustBeAnArray() throws IOException {
        rejects(safetensors("{" + entry("w", "U8", "2", 0, 2) + "}", bytes(1, 2)), "shape must be an array");
    }

    @Test
    void rankAboveEight() throws IOException {
        rejects(safetensors("{" + entry("w", "U8", "[1,1,1,1,1,1,1,1,1]", 0, 1) + "}", bytes(1)), "rank 9, above the limit of 8");
    }

    @Test
    void elementCountOverflow() throws IOException {
        rejects(safetensors("{" + entry("w", "U8", "[4294967296,4294967296]", 0, 0) + "}", new byte[0]), "overflows");
        // Fits as a count, overflows once multiplied by the element size.
        rejects(safetensors("{" + entry("w", "F32", "[4611686018427387904]", 0, 0) + "}", new byte[0]), "overflows");
    }

    @Test
    void dataOffsetsMustBeTwoNonNegativeIntegers() throws IOException {
        rejects(safetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", bytes(1)), "data_offsets must be an array [begin, end]");
        rejects(safetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", bytes(1)), "data_offsets must be an array [begin, end]");
        rejects(safetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[-1,0]}}", bytes(1)), "data_offsets entries must be non-negative integers");
        rejects(safetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", bytes(1)),
                "data_offsets entries must be at most");
    }

    @Test
    void beginAfterEnd() throws IOException {
        rejects(safetensors("{" + entry("w", "U8", "[0]", 2, 1) + "}", bytes(1, 2)), "must have begin <= end");
    }

    @Test
    void byteCountMustMatchShapeAndDtype() throws IOException {
        WeightsFormatException e = rejects(safetensors("{" + entry("w", "F32", "[2,2]", 0, 12) + "}", new byte[12]),
                "data_offsets [0, 12] span 12 bytes but F32 [2, 2] needs 16 bytes");
        assertEquals("w", e.key());
    }

    @Test
    void firstTensorMustStartAtZero() throws IOException {
        rejects(safetensors("{" + entry("w", "U8", "[1]", 1, 2) + "}", bytes(0, 5)), "data buffer starts at 0");
    }

    @Test
    void noGapBetweenTensors() throws IOException {
        String header = "{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 3, 5) + "}";
        WeightsFormatException e = rejects(safetensors(header, new byte[5]), "tensors must be contiguous, with no gap");
        assertEquals("b", e.key());
    }

    @Test
    void noOverlapBetweenTensors() throws IOException {
        String header = "{" + entry("a", "U8", "[3]", 0, 3) + "," + entry("b", "U8", "[3]", 2, 5) + "}";
        rejects(safetensors(header, new byte[5]), "tensors must not overlap");
    }

    @Test
    void bufferMustEndWithTheLastTensor() throws IOException {
        String header = "{" + entry("a", "U8", "[2]", 0, 2) + "}";
        rejects(safetensors(header, bytes(1, 2, 3)), "(trailing bytes)");
        rejects(safetensors(header, bytes(1)), "(truncated file)");
        rejects(safetensors("{}", bytes(0)), "the data buffer holds 1 bytes but the tensors' data_offsets end at byte 0");
    }

    @Test
    void boolBytesMustBeZeroOrOne() throws IOException {
        WeightsFormatException e = rejects(safetensors("{" + entry("m", "BOOL", "[3]", 0, 3) + "}", bytes(1, 0, 2)),
                "BOOL element 2 is byte 2; BOOL bytes must be 0 or 1");
        assertEquals("m", e.key());
    }

    @Test
    void oneByteShortOrLongIsRejected() throws IOException {
        String header = "{" + entry("a", "F32", "[2]", 0, 8) + "}";
        byte[] good = safetensors(header, f32(1f, 2f));
        SafetensorsFile.open(file(good)).close();
        rejects(java.util.Arrays.copyOf(good, good.length - 1), "(truncated file)");
        rejects(concat(good, bytes(0)), "(trailing bytes)");
    }

    @Test
    void readLeavesNoTraceOfAFailedOpen() throws IOException {
        Path p = file(safetensors("{" + entry("a", "U8", "[2]", 0, 2) + "}", bytes(1)));
        assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(p));
        Files.delete(p); // would fail on some platforms if the mapping had leaked
    }
}
