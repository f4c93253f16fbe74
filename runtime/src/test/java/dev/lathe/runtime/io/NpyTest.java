package dev.lathe.runtime.io;

import static dev.lathe.runtime.io.Crafted.bytes;
import static dev.lathe.runtime.io.Crafted.concat;
import static dev.lathe.runtime.io.Crafted.f32;
import static dev.lathe.runtime.io.Crafted.i32;
import static dev.lathe.runtime.io.Crafted.npy;
import static dev.lathe.runtime.io.Crafted.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-built .npy images: valid ones read back exactly, each broken rule is reported by name. */
class NpyTest {
    @TempDir Path dir;

    private static String header(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
    }

    private Tensor read(byte[] content) throws IOException {
        Tensor fromPath = Npy.read(Crafted.write(dir, "a.npy", content));
        Tensor fromStream = Npy.read(new ByteArrayInputStream(content), "a.npy", NpyLimits.DEFAULT);
        assertEquals(fromPath, fromStream, "path and stream readers agree");
        return fromPath;
    }

    /** Both readers must reject {@code content} with a message that names the file and {@code rule}. */
    private void rejects(byte[] content, String rule) throws IOException {
        rejects(content, NpyLimits.DEFAULT, rule);
    }

    private void rejects(byte[] content, NpyLimits limits, String rule) throws IOException {
        Path p = Crafted.write(dir, "bad.npy", content);
        WeightsFormatException byPath = assertThrows(WeightsFormatException.class, () -> Npy.read(p, limits));
        assertTrue(byPath.getMessage().startsWith(p + ": "), byPath.getMessage());
        assertTrue(byPath.getMessage().contains(rule), () -> "expected the rule '" + rule + "' in: " + byPath.getMessage());
        WeightsFormatException byStream = assertThrows(WeightsFormatException.class,
                () -> Npy.read(new ByteArrayInputStream(content), "entry.npy", limits));
        assertTrue(byStream.getMessage().startsWith("entry.npy: "), byStream.getMessage());
        assertTrue(byStream.getMessage().contains(rule), () -> "expected the rule '" + rule + "' in: " + byStream.getMessage());
    }

    private static byte[] be(int size, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(ByteOrder.BIG_ENDIAN);
        for (long v : values) {
            if (size == 8) b.putLong(v); else b.putInt((int) v);
        }
        return b.array();
    }

    // ---- valid files ----

    @Test
    void readsEachAcceptedDescr() throws IOException {
        assertEquals(Tensor.ofFloats(new long[] {2}, new float[] {1.5f, Float.NaN}), read(npy(header("<f4", false, "(2,)"), f32(1.5f, Float.NaN))));
        assertEquals(Tensor.ofDoubles(new long[0], new double[] {-0.0}),
                read(npy(header("<f8", false, "()"), Crafted.u64(Double.doubleToRawLongBits(-0.0)))));
        assertEquals(Tensor.ofFloats(DType.F16, new long[] {2}, new float[] {1f, 65504f}), read(npy(header("<f2", false, "(2,)"), u16(0x3C00, 0x7BFF))));
        assertEquals(Tensor.ofLongs(DType.I64, new long[] {1}, new long[] {-5}), read(npy(header("<i8", false, "(1,)"), Crafted.i64(-5))));
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {1, 2}, new long[] {-1, 7}), read(npy(header("<i4", false, "(1, 2)"), i32(-1, 7))));
        assertEquals(Tensor.ofLongs(DType.I8, new long[] {2}, new long[] {-128, 127}), read(npy(header("|i1", false, "(2,)"), bytes(0x80, 0x7F))));
        assertEquals(Tensor.ofLongs(DType.U8, new long[] {2}, new long[] {255, 1}), read(npy(header("|u1", false, "(2,)"), bytes(0xFF, 1))));
        assertEquals(Tensor.ofBooleans(new long[] {2}, new boolean[] {false, true}), read(npy(header("|b1", false, "(2,)"), bytes(0, 1))));
    }

    @Test
    void readsBigEndianAndNativeOrder() throws IOException {
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {2}, new long[] {1, -2}), read(npy(header(">i4", false, "(2,)"), be(4, 1, -2))));
        assertEquals(Tensor.ofLongs(DType.I64, new long[] {1}, new long[] {0x0102030405060708L}),
                read(npy(header(">i8", false, "(1,)"), bytes(1, 2, 3, 4, 5, 6, 7, 8))));
        assertEquals(Tensor.ofFloats(new long[] {1}, new float[] {1f}), read(npy(header(">f4", false, "(1,)"), bytes(0x3F, 0x80, 0, 0))));
        assertEquals(Tensor.ofFloats(DType.F16, new long[] {1}, new float[] {1f}), read(npy(header(">f2", false, "(1,)"), bytes(0x3C, 0))));
        byte[] nativeOne = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putFloat(1f).array();
        assertEquals(Tensor.ofFloats(new long[] {1}, new float[] {1f}), read(npy(header("=f4", false, "(1,)"), nativeOne)));
        assertEquals(Tensor.ofLongs(DType.I8, new long[] {1}, new long[] {-1}), read(npy(header("<i1", false, "(1,)"), bytes(0xFF))));
    }

    @Test
    void transposesFortranOrder() throws IOException {
        // Column-major [[0, 1, 2], [3, 4, 5]] is stored 0 3 1 4 2 5.
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {2, 3}, new long[] {0, 1, 2, 3, 4, 5}),
                read(npy(header("<i4", true, "(2, 3)"), i32(0, 3, 1, 4, 2, 5))));
        // Shape (2, 2, 2): element (i, j, k) sits at i + 2j + 4k.
        long[] expected = new long[8];
        int[] stored = new int[8];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    expected[i * 4 + j * 2 + k] = 100 * i + 10 * j + k;
                    stored[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
                }
            }
        }
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {2, 2, 2}, expected), read(npy(header("<i4", true, "(2, 2, 2)"), i32(stored))));
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {3}, new long[] {1, 2, 3}), read(npy(header("<i4", true, "(3,)"), i32(1, 2, 3))));
        assertEquals(Tensor.zeros(DType.I32, new long[] {0, 3}), read(npy(header("<i4", true, "(0, 3)"), new byte[0])));
    }

    @Test
    void readsVersionsTwoAndThree() throws IOException {
        Tensor one = Tensor.ofFloats(new long[] {1}, new float[] {3f});
        assertEquals(one, read(npy(2, header("<f4", false, "(1,)"), f32(3f))));
        assertEquals(one, read(npy(3, header("<f4", false, "(1,)"), f32(3f))));
    }

    @Test
    void toleratesHeaderSpellings() throws IOException {
        Tensor t = Tensor.ofLongs(DType.U8, new long[] {1, 1}, new long[] {4});
        assertEquals(t, read(npy("{\"shape\":(1,1),\"fortran_order\":False,\"descr\":\"|u1\"}", bytes(4))));
        assertEquals(t, read(npy("  {'descr': '|u1',\n 'fortran_order': False, 'shape': (1L, 1L)}   \n", bytes(4))));
    }

    // ---- one file per rule ----

    @Test
    void badMagic() throws IOException {
        rejects(concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), new byte[20]), "must start with the magic bytes");
        rejects(bytes(0x93, 'N', 'U'), "must start with the magic bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 0x10})
    void unsupportedMajorVersion(int major) throws IOException {
        byte[] image = npy(header("<f4", false, "(1,)"), f32(1f));
        image[6] = (byte) major;
        rejects(image, "unsupported .npy format version " + major + ".0");
    }

    @Test
    void unsupportedMinorVersion() throws IOException {
        byte[] image = npy(header("<f4", false, "(1,)"), f32(1f));
        image[7] = 1;
        rejects(image, "unsupported .npy format version 1.1");
    }

    @Test
    void truncatedBeforeTheData() throws IOException {
        byte[] image = npy(header("<f4", false, "(1,)"), new byte[0]);
        rejects(Arrays.copyOf(image, 7), "ends inside the .npy version");
        rejects(Arrays.copyOf(image, 9), "ends inside the header length");
        rejects(Arrays.copyOf(image, 20), "ends inside the header (10 of");
    }

    @Test
    void headerLongerThanTheLimit() throws IOException {
        String padded = header("<f4", false, "(1,)");
        padded = padded + " ".repeat(10_001 - padded.length());
        Path p = Crafted.write(dir, "big.npy", npy(2, padded, f32(1f)));
        HeaderTooLargeException e = assertThrows(HeaderTooLargeException.class, () -> Npy.read(p));
        assertEquals(10_001, e.declared());
        assertEquals(10_000, e.limit());
        assertEquals(Tensor.ofFloats(new long[] {1}, new float[] {1f}), Npy.read(p, new NpyLimits(10_001)));
        rejects(npy(header("<f4", false, "(1,)"), f32(1f)), new NpyLimits(10), "exceeds the limit of 10 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ", "{'descr': '<f4' 'fortran_order': False}",
            "{'descr': <f4}", "{'descr': '<f4', 'fortran_order': false, 'shape': (1,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (1.0,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x", "{1: 2}"})
    void headerNotADictLiteral(String text) throws IOException {
        rejects(npy(text, f32(1f)), "the header is not a Python dict literal");
    }

    @Test
    void headerMustBeADict() throws IOException {
        rejects(npy("['<f4', False, (1,)]", f32(1f)), "the header must be a dict");
    }

    @Test
    void headerKeysMustBeExact() throws IOException {
        rejects(npy("{'descr': '<f4', 'shape': (1,)}", f32(1f)), "exactly the keys 'descr', 'fortran_order' and 'shape'");
        rejects(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 0}", f32(1f)), "exactly the keys");
    }

    @Test
    void duplicateHeaderKeys() throws IOException {
        rejects(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}", f32(1f)), "duplicate key 'shape'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"|O", "O", "<O", "|O8"})
    void objectArraysAreRefused(String descr) throws IOException {
        rejects(npy(header(descr, false, "(1,)"), new byte[8]), "object arrays are not supported (descr '" + descr + "')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<u2", "<i2", "<c8", "<M8[s]", "<U3", "|f4", "f4", "<f16", "|V4", ""})
    void unsupportedDescrIsNamed(String descr) throws IOException {
        rejects(npy(header(descr, false, "(1,)"), new byte[4]), "unsupported dtype descr '" + descr + "'");
    }

    @Test
    void structuredDtypesAreRefused() throws IOException {
        rejects(npy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", f32(1f)), "structured and subarray dtypes are not supported");
        rejects(npy("{'descr': 4, 'fortran_order': False, 'shape': (1,), }", f32(1f)), "descr must be a dtype string");
    }

    @Test
    void fortranOrderMustBeABool() throws IOException {
        rejects(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", f32(1f)), "fortran_order must be True or False, found 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "1", "(1)", "('1',)", "None"})
    void shapeMustBeATupleOfIntegers(String shape) throws IOException {
        rejects(npy(header("<f4", false, shape), f32(1f)), "shape must be a tuple of integers");
    }

    @Test
    void shapeDimensionsMustBeNonNegative() throws IOException {
        rejects(npy(header("<f4", false, "(-1,)"), new byte[0]), "has a negative dimension");
    }

    @Test
    void shapeRankAboveEight() throws IOException {
        rejects(npy(header("<f4", false, "(1, 1, 1, 1, 1, 1, 1, 1, 1)"), f32(1f)), "rank 9, above the limit of 8");
    }

    @Test
    void shapeOverflow() throws IOException {
        rejects(npy(header("<f4", false, "(4294967296, 4294967296)"), new byte[0]), "overflows");
        rejects(npy(header("<f4", false, "(99999999999999999999,)"), new byte[0]), "has a dimension above");
    }

    @Test
    void dataMustMatchExactly() throws IOException {
        byte[] good = npy(header("<f4", false, "(2,)"), f32(1f, 2f));
        read(good);
        rejects(Arrays.copyOf(good, good.length - 1), "has only 7 (truncated)");
        rejects(concat(good, bytes(0)), "has trailing bytes");
    }

    @Test
    void boolBytesMustBeZeroOrOne() throws IOException {
        rejects(npy(header("|b1", false, "(2,)"), bytes(1, 7)), "bool element 1 is neither 0 nor 1");
    }

    // ---- writing ----

    @Test
    void writesNumpysHeaderLayout() throws IOException {
        Path p = dir.resolve("w.npy");
        Npy.write(p, Tensor.ofFloats(new long[] {3}, new float[] {1f, 2f, 3f}));
        byte[] all = Files.readAllBytes(p);
        assertEquals(0, (all.length - 12) % 64, "data starts 64-byte aligned");
        String text = new String(all, 10, 118, StandardCharsets.ISO_8859_1);
        // 10 prefix bytes + 57 for the dict + 20 spaces of growth room (21 digits less the one of "3") + the
        // newline make 88: 40 more spaces reach 128.
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" + " ".repeat(20 + 40) + "\n", text);
        assertEquals(118, all[8] & 0xFF);
        assertArrayEquals(f32(1f, 2f, 3f), Arrays.copyOfRange(all, 128, all.length));
    }

    @Test
    void bf16IsWrittenWidenedAsF4() throws IOException {
        Path p = dir.resolve("b.npy");
        Npy.write(p, Tensor.ofFloats(DType.BF16, new long[] {2}, new float[] {1f, -2f}));
        assertEquals(Tensor.ofFloats(DType.F32, new long[] {2}, new float[] {1f, -2f}), Npy.read(p));
        assertTrue(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("'descr': '<f4'"));
    }

    @Test
    void i4IsWrittenAsI1AndOutOfRangeValuesAreRefused() throws IOException {
        Path p = dir.resolve("i.npy");
        Npy.write(p, Tensor.ofLongs(DType.I4, new long[] {2}, new long[] {-8, 7}));
        assertEquals(Tensor.ofLongs(DType.I8, new long[] {2}, new long[] {-8, 7}), Npy.read(p));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, Tensor.ofLongs(DType.I32, new long[] {1}, new long[] {1L << 31})));
        assertEquals(Tensor.ofLongs(DType.I8, new long[] {2}, new long[] {-8, 7}), Npy.read(p), "the failed write left the file as it was");
    }
}
