package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives: a zip of {@code .npy} entries, entry {@code x.npy} holding the array
 * named {@code x} (as {@code np.savez} / {@code np.savez_compressed} write them).
 *
 * <p>Reading trusts nothing in the archive: the number of entries, the total uncompressed size and the
 * compression ratio of deflated entries are capped ({@link NpzLimits}) while bytes are inflated, entry
 * names must be relative paths without {@code ..} segments and end in {@code .npy}, duplicate names are
 * refused, and each entry's CRC is checked.
 */
public final class Npz {
    /** A fixed entry time (the zip epoch) so that the same tensors always give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    public static LinkedHashMap<String, Tensor> read(Path path) throws IOException {
        return read(path, NpzLimits.DEFAULT);
    }

    /**
     * Reads every entry of {@code path}, in archive order.
     *
     * @throws WeightsFormatException for a malformed archive or entry, or one that exceeds {@code limits}
     */
    public static LinkedHashMap<String, Tensor> read(Path path, NpzLimits limits) throws IOException {
        String source = path.toString();
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new WeightsFormatException(source, null, "not a valid zip archive: " + e.getMessage(), e);
        }
        try (zip) {
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            long budget = limits.maxTotalBytes();
            int count = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (++count > limits.maxEntries()) {
                    throw new WeightsFormatException(source, null, "the archive has more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                String key = key(source, name);
                if (out.containsKey(key)) throw new WeightsFormatException(source, null, "duplicate entry '" + name + "'");
                String where = source + "[" + name + "]";
                if (entry.getSize() > budget) {
                    throw tooLarge(where, limits);
                }
                long ratioCap = entry.getMethod() == ZipEntry.DEFLATED
                        ? (long) Math.min(Long.MAX_VALUE, limits.maxCompressionRatio() * Math.max(1, entry.getCompressedSize()))
                        : Long.MAX_VALUE;
                Tensor t;
                long read;
                try (CheckedInputStream crc = new CheckedInputStream(zip.getInputStream(entry), new CRC32());
                     CappedInputStream in = new CappedInputStream(crc, where, budget, limits, ratioCap)) {
                    t = Npy.read(in, where, limits.npy());
                    read = in.count;
                    if (entry.getCrc() >= 0 && crc.getChecksum().getValue() != entry.getCrc()) {
                        throw new WeightsFormatException(where, null, "the entry's CRC-32 does not match its data (corrupt archive)");
                    }
                } catch (ZipException e) {
                    throw new WeightsFormatException(where, null, "the entry cannot be decompressed: " + e.getMessage(), e);
                }
                budget -= read;
                out.put(key, t);
            }
            return out;
        }
    }

    /** The array name for an entry, after checking that the entry name is a safe relative .npy path. */
    private static String key(String source, String name) {
        String problem = nameProblem(name);
        if (problem != null) throw new WeightsFormatException(source, null, problem);
        return name.substring(0, name.length() - ".npy".length());
    }

    /** Why {@code name} may not name an entry, or null when it may. */
    private static String nameProblem(String name) {
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
            return "entry name '" + name + "' is an absolute path";
        }
        for (String part : name.split("[/\\\\]", -1)) {
            if (part.equals("..")) return "entry name '" + name + "' contains a '..' segment";
        }
        if (!name.endsWith(".npy")) return "entry '" + name + "' is not a .npy file; an .npz holds only .npy entries";
        return null;
    }

    private static WeightsFormatException tooLarge(String where, NpzLimits limits) {
        return new WeightsFormatException(where, null, "the archive's entries inflate to more than " + limits.maxTotalBytes()
                + " bytes in total (NpzLimits.maxTotalBytes)");
    }

    /** Counts inflated bytes and stops at the total budget or the entry's compression-ratio cap. */
    private static final class CappedInputStream extends FilterInputStream {
        private final String where;
        private final long budget;
        private final NpzLimits limits;
        private final long ratioCap;
        long count;

        CappedInputStream(InputStream in, String where, long budget, NpzLimits limits, long ratioCap) {
            super(in);
            this.where = where;
            this.budget = budget;
            this.limits = limits;
            this.ratioCap = ratioCap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        private void add(int n) {
            count += n;
            if (count > budget) throw tooLarge(where, limits);
            if (count > ratioCap) {
                throw new WeightsFormatException(where, null, "the entry inflates more than " + limits.maxCompressionRatio()
                        + " times its compressed size (NpzLimits.maxCompressionRatio; a zip bomb?)");
            }
        }
    }

    /** Writes {@code tensors} as stored (uncompressed) entries, like {@code np.savez}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, false);
    }

    /** Writes {@code tensors} as deflated entries, like {@code np.savez_compressed}, atomically. */
    public static void writeCompressed(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, true);
    }

    private static void write(Path path, Map<String, Tensor> tensors, boolean deflate) throws IOException {
        for (String key : tensors.keySet()) {
            String problem = nameProblem(key + ".npy");
            if (problem != null) throw new IllegalArgumentException("key '" + key + "': " + problem);
        }
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTimeLocal(ENTRY_TIME);
                if (deflate) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry needs its size and CRC up front: encode once to measure, once to write.
                    CountingCrc measure = new CountingCrc();
                    Npy.write(measure, e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(measure.count);
                    entry.setCompressedSize(measure.count);
                    entry.setCrc(measure.getChecksum().getValue());
                }
                zip.putNextEntry(entry);
                Npy.write(zip, e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static final class CountingCrc extends CheckedOutputStream {
        long count;

        CountingCrc() {
            super(OutputStream.nullOutputStream(), new CRC32());
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count += len;
        }
    }
}
