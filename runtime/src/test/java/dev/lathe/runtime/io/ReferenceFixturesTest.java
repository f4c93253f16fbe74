package dev.lathe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by numpy 2.x and by the reference safetensors implementation (0.8), made by
 * {@code src/test/resources/io/make_fixtures.py}; the expected values below repeat that script's arrays.
 */
class ReferenceFixturesTest {
    @TempDir Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(ReferenceFixturesTest.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our writer must produce numpy's bytes exactly for the same array. */
    private void writesSameBytesAsNumpy(String name, Tensor t) throws IOException {
        Path ours = dir.resolve(name);
        Npy.write(ours, t);
        assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(ours), name);
    }

    @Test
    void numpyFloat32() throws IOException {
        Tensor expected = Tensor.ofFloats(new long[] {2, 3}, new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f});
        assertEquals(expected, Npy.read(fixture("f32_2x3.npy")));
        writesSameBytesAsNumpy("f32_2x3.npy", expected);
    }

    @Test
    void numpyFortranOrderFloat64() throws IOException {
        assertEquals(Tensor.ofDoubles(new long[] {2, 3}, new double[] {0, 1, 2, 3, 4, 5}), Npy.read(fixture("f64_fortran_2x3.npy")));
    }

    @Test
    void numpyBigEndianInt32() throws IOException {
        assertEquals(Tensor.ofLongs(DType.I32, new long[] {3}, new long[] {1, -2, 300000}), Npy.read(fixture("i4_big_endian.npy")));
    }

    @Test
    void numpyFloat16Edges() throws IOException {
        Tensor expected = Tensor.ofFloats(DType.F16, new long[] {4}, new float[] {1f, 65504f, -0.0f, Float.POSITIVE_INFINITY});
        assertEquals(expected, Npy.read(fixture("f16_edges.npy")));
        writesSameBytesAsNumpy("f16_edges.npy", expected);
    }

    @Test
    void numpyBoolAndScalar() throws IOException {
        Tensor bools = Tensor.ofBooleans(new long[] {3}, new boolean[] {true, false, true});
        assertEquals(bools, Npy.read(fixture("bool_3.npy")));
        writesSameBytesAsNumpy("bool_3.npy", bools);
        Tensor scalar = Tensor.ofLongs(DType.U8, new long[0], new long[] {200});
        assertEquals(scalar, Npy.read(fixture("u8_scalar.npy")));
        writesSameBytesAsNumpy("u8_scalar.npy", scalar);
    }

    @Test
    void numpyArchives() throws IOException {
        Map<String, Tensor> expected = new LinkedHashMap<>();
        expected.put("a", Tensor.ofLongs(DType.I64, new long[] {4}, new long[] {0, 1, 2, 3}));
        expected.put("b/c", Tensor.ofLongs(DType.I8, new long[] {2}, new long[] {-128, 127}));
        for (String name : List.of("arrays.npz", "arrays_compressed.npz")) {
            Map<String, Tensor> read = Npz.read(fixture(name));
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(read.keySet()), name);
            assertEquals(expected, read, name);
        }
    }

    @Test
    void referenceSafetensors() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fixture("reference.safetensors"))) {
            // The reference writer orders tensors by dtype alignment, then by name.
            assertEquals(List.of("n", "w", "h", "m"), f.keys());
            assertEquals(Map.of("format", "np"), f.metadata());
            assertEquals(Tensor.ofFloats(new long[] {2, 2}, new float[] {1.5f, -2f, 0.25f, 3f}), f.read("w"));
            assertEquals(Tensor.ofFloats(DType.F16, new long[] {2}, new float[] {1f, -65504f}), f.read("h"));
            assertEquals(Tensor.ofLongs(DType.I64, new long[] {3}, new long[] {7, -9, 1L << 40}), f.read("n"));
            assertEquals(Tensor.ofBooleans(new long[] {2}, new boolean[] {true, false}), f.read("m"));
        }
    }
}
