package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * NumPy {@code .npy} files: versions 1.0, 2.0 and 3.0 are read, version 1.0 is written (as numpy
 * does for every header that fits). See {@link NpyHeader} for the accepted dtypes and byte orders.
 *
 * <p>Reading is strict: the data must be exactly as long as the header says (no truncation, no
 * trailing bytes), bool bytes must be 0 or 1, and object arrays are refused, so no pickle is ever read.
 * Fortran-ordered arrays are transposed into row-major order.
 *
 * <p>Dtypes written: f32 {@code <f4}, f64 {@code <f8}, f16 {@code <f2}, i64 {@code <i8}, i32 {@code <i4},
 * i8 {@code |i1}, u8 {@code |u1}, bool {@code |b1}. numpy has no bfloat16, so bf16 is written widened as
 * {@code <f4} (exact) and reads back as f32; i4/u4 are written as {@code |i1}/{@code |u1}.
 */
public final class Npy {
    private Npy() {}

    public static Tensor read(Path path) throws IOException {
        return read(path, NpyLimits.DEFAULT);
    }

    /**
     * Reads {@code path}, memory-mapping the data so that only the resulting tensor is allocated.
     *
     * @throws HeaderTooLargeException if the header is longer than {@code limits} allow
     * @throws WeightsFormatException if the file breaks a rule of the format
     */
    public static Tensor read(Path path, NpyLimits limits) throws IOException {
        String source = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            // Not buffered: the stream must stop exactly at the end of the header.
            NpyHeader header = NpyHeader.read(Channels.newInputStream(ch), source, limits);
            long available = ch.size() - header.length();
            checkDataLength(source, header, available);
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, header.length(), available, arena);
            return decode(source, header, data);
        }
    }

    /**
     * Reads one .npy image from {@code in}, which must end right after the data.
     *
     * @param name how the stream is named in error messages (a file or archive entry name)
     */
    public static Tensor read(InputStream in, String name, NpyLimits limits) throws IOException {
        NpyHeader header = NpyHeader.read(in, name, limits);
        long expected = header.dataBytes();
        if (expected > Integer.MAX_VALUE - 8) {
            throw new WeightsFormatException(name, null, "the data holds " + expected
                    + " bytes, more than a stream read supports; read the file by path instead");
        }
        byte[] bytes = in.readNBytes((int) expected);
        checkDataLength(name, header, in.read() < 0 ? bytes.length : (long) bytes.length + 1);
        return decode(name, header, MemorySegment.ofArray(bytes));
    }

    private static void checkDataLength(String source, NpyHeader header, long available) {
        long expected = header.dataBytes();
        if (available != expected) {
            throw new WeightsFormatException(source, null, "the data must be exactly " + expected + " bytes for " + header.descr()
                    + " shape " + Arrays.toString(header.shape()) + ", but the file "
                    + (available < expected ? "has only " + available + " (truncated)" : "has trailing bytes after them"));
        }
    }

    private static Tensor decode(String source, NpyHeader header, MemorySegment data) {
        long count = header.dataBytes() / header.type().size;
        if (count > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException(source + ": " + count + " elements are more than a Tensor can hold");
        }
        if (header.type() == DiskType.BOOL) {
            long bad = DiskType.firstInvalidBool(data, 0, count);
            if (bad >= 0) throw new WeightsFormatException(source, null, "bool element " + bad + " is neither 0 nor 1");
        }
        long[] shape = header.shape();
        if (!header.fortranOrder() || shape.length < 2) {
            return header.type().decodeTensor(data, 0, shape, header.order());
        }
        // Column-major data of shape (a, b, c) is row-major data of shape (c, b, a): read it so, then
        // reverse the axes.
        long[] reversed = new long[shape.length];
        for (int i = 0; i < shape.length; i++) reversed[i] = shape[shape.length - 1 - i];
        return Transpose.reverseAxes(header.type().decodeTensor(data, 0, reversed, header.order()));
    }

    /** Writes {@code t} to {@code path} atomically (see the class comment for dtypes). */
    public static void write(Path path, Tensor t) throws IOException {
        AtomicFiles.write(path, out -> write(out, t));
    }

    /** Writes {@code t} as one .npy image to {@code out}, which is left open. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        DiskType type = NpyHeader.writeType(t.dtype());
        out.write(NpyHeader.format(type, t.shape()));
        type.write(t, ByteOrder.LITTLE_ENDIAN, out);
    }
}
