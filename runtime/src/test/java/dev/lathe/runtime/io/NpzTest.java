package dev.lathe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir Path dir;

    private static final byte[] SMALL_NPY = Crafted.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }\n", Crafted.bytes(1, 2));

    /** A zip built entry by entry, so that names and methods the writer would never produce can be tested. */
    private Path zip(String name, Map<String, byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Crafted.write(dir, name, bytes.toByteArray());
    }

    private static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        return m;
    }

    private void rejects(Path p, NpzLimits limits, String rule) {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Npz.read(p, limits));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> "expected the rule '" + rule + "' in: " + e.getMessage());
    }

    @Test
    void readsEntriesInArchiveOrderWithoutTheSuffix() throws IOException {
        Path p = zip("a.npz", entries("x.npy", SMALL_NPY, "dir/y.npy", SMALL_NPY), false);
        Map<String, Tensor> m = Npz.read(p);
        assertEquals(List.of("x", "dir/y"), List.copyOf(m.keySet()));
        assertEquals(Tensor.ofLongs(DType.U8, new long[] {2}, new long[] {1, 2}), m.get("dir/y"));
        Path deflated = zip("d.npz", entries("x.npy", SMALL_NPY), true);
        assertEquals(m.get("x"), Npz.read(deflated).get("x"));
    }

    @Test
    void writesStoredAndDeflatedArchives() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.zeros(DType.F32, new long[] {64, 64}));
        tensors.put("b", Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {3, -4}));
        Path stored = dir.resolve("s.npz");
        Path deflated = dir.resolve("c.npz");
        Npz.write(stored, tensors);
        Npz.writeCompressed(deflated, tensors);
        assertEquals(tensors, Npz.read(stored));
        assertEquals(tensors, Npz.read(deflated));
        assertTrue(Files.size(deflated) < Files.size(stored) / 4, "zeros compress");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(stored.toFile())) {
            assertEquals(ZipEntry.STORED, z.getEntry("w.npy").getMethod());
        }
        byte[] first = Files.readAllBytes(stored);
        Npz.write(stored, tensors);
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(stored)), "same tensors, same bytes");
    }

    @Test
    void writerRefusesUnsafeKeys() {
        Path p = dir.resolve("x.npz");
        assertThrows(IllegalArgumentException.class, () -> Npz.write(p, Map.of("../x", Tensor.scalar(1f))));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(p, Map.of("/x", Tensor.scalar(1f))));
        assertTrue(Files.notExists(p));
    }

    @Test
    void notAZip() throws IOException {
        rejects(Crafted.write(dir, "n.npz", SMALL_NPY), NpzLimits.DEFAULT, "not a valid zip archive");
    }

    @Test
    void onlyNpyEntries() throws IOException {
        rejects(zip("t.npz", entries("x.npy", SMALL_NPY, "notes.txt", new byte[] {1}), false), NpzLimits.DEFAULT,
                "entry 'notes.txt' is not a .npy file");
        rejects(zip("d.npz", entries("dir/", new byte[0]), false), NpzLimits.DEFAULT, "entry 'dir/' is not a .npy file");
    }

    @Test
    void absoluteEntryNames() throws IOException {
        rejects(zip("abs.npz", entries("/etc/x.npy", SMALL_NPY), false), NpzLimits.DEFAULT, "entry name '/etc/x.npy' is an absolute path");
        rejects(zip("win.npz", entries("C:\\x.npy", SMALL_NPY), false), NpzLimits.DEFAULT, "is an absolute path");
    }

    @Test
    void dotDotEntryNames() throws IOException {
        rejects(zip("up.npz", entries("a/../../x.npy", SMALL_NPY), false), NpzLimits.DEFAULT, "contains a '..' segment");
        rejects(zip("up2.npz", entries("a\\..\\x.npy", SMALL_NPY), false), NpzLimits.DEFAULT, "contains a '..' segment");
        assertEquals(List.of("a..b"), List.copyOf(Npz.read(zip("ok.npz", entries("a..b.npy", SMALL_NPY), false)).keySet()),
                "dots inside a name are not a path segment");
    }

    @Test
    void duplicateEntries() throws IOException {
        // ZipOutputStream refuses duplicates, so write "x.npy" and "y.npy" and rename the second in place:
        // same length, and the CRC covers only the data, so the archive stays well-formed.
        Path p = zip("dup.npz", entries("x.npy", SMALL_NPY, "y.npy", SMALL_NPY), false);
        byte[] b = Files.readAllBytes(p);
        String s = new String(b, StandardCharsets.ISO_8859_1).replace("y.npy", "x.npy");
        Files.write(p, s.getBytes(StandardCharsets.ISO_8859_1));
        rejects(p, NpzLimits.DEFAULT, "duplicate entry 'x.npy'");
    }

    @Test
    void tooManyEntries() throws IOException {
        Path p = zip("many.npz", entries("a.npy", SMALL_NPY, "b.npy", SMALL_NPY, "c.npy", SMALL_NPY), false);
        rejects(p, new NpzLimits(2, 1 << 20, 1000, NpyLimits.DEFAULT), "more than 2 entries");
        assertEquals(3, Npz.read(p, new NpzLimits(3, 1 << 20, 1000, NpyLimits.DEFAULT)).size());
    }

    @Test
    void totalUncompressedBytes() throws IOException {
        Path p = zip("big.npz", entries("a.npy", SMALL_NPY, "b.npy", SMALL_NPY), true);
        long both = 2L * SMALL_NPY.length;
        assertEquals(2, Npz.read(p, new NpzLimits(10, both, 1000, NpyLimits.DEFAULT)).size());
        rejects(p, new NpzLimits(10, both - 1, 1000, NpyLimits.DEFAULT), "more than " + (both - 1) + " bytes in total");
    }

    @Test
    void compressionRatioOfDeflatedEntries() throws IOException {
        byte[] zeros = Crafted.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (100000,), }\n", new byte[100_000]);
        Path p = zip("bomb.npz", entries("z.npy", zeros), true);
        rejects(p, new NpzLimits(10, 1L << 30, 10, NpyLimits.DEFAULT), "inflates more than 10.0 times its compressed size");
        assertEquals(100_000, Npz.read(p).get("z").size(), "100 kB of zeros deflate about 877:1, under the default 1000");
        byte[] bomb = Crafted.npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4000000,), }\n", new byte[4_000_000]);
        rejects(zip("bomb4m.npz", entries("z.npy", bomb), true), NpzLimits.DEFAULT, "inflates more than 1000.0 times");
        Path stored = zip("stored.npz", entries("z.npy", zeros), false);
        assertEquals(100_000, Npz.read(stored, new NpzLimits(10, 1L << 30, 10, NpyLimits.DEFAULT)).get("z").size(),
                "stored entries have no ratio");
    }

    @Test
    void corruptEntryData() throws IOException {
        Path p = zip("crc.npz", entries("x.npy", SMALL_NPY), false);
        byte[] b = Files.readAllBytes(p);
        // The last data byte of the only entry: the npy data (1, 2) follows its header in the local record.
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\n\u0001\u0002") + 2;
        b[at] = 3;
        Files.write(p, b);
        rejects(p, NpzLimits.DEFAULT, "CRC-32 does not match");
    }

    @Test
    void badNpyEntryIsNamed() throws IOException {
        byte[] object = Crafted.npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]);
        Path p = zip("o.npz", entries("o.npy", object), false);
        rejects(p, NpzLimits.DEFAULT, "[o.npy]: object arrays are not supported");
    }
}
