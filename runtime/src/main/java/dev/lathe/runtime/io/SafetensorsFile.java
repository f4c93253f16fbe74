package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A safetensors file, memory-mapped and fully validated when opened (see {@link SafetensorsHeader} for
 * the rules). Tensors are read on demand; {@link #segment} gives zero-copy access for backends.
 *
 * <p>Thread-safe: the mapping belongs to a shared arena, so any thread may read; after {@link #close()}
 * every read and every segment handed out fails with {@link IllegalStateException}.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final long LENGTH_PREFIX = 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final long dataStart;
    private final SafetensorsHeader header;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SafetensorsFile(Path path, Arena arena, MemorySegment data, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.dataStart = dataStart;
        this.header = header;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, SafetensorsLimits.DEFAULT);
    }

    /**
     * Maps and validates {@code path}.
     *
     * @throws HeaderTooLargeException if the declared header length is above {@code limits}
     * @throws WeightsFormatException if the file breaks a rule of the format
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile open(Path path, SafetensorsLimits limits) throws IOException {
        String source = path.toString();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            long fileLength = file.byteSize();
            if (fileLength < LENGTH_PREFIX) {
                throw new WeightsFormatException(source, null, "the file has " + fileLength
                        + " bytes, too few for the 8-byte header length");
            }
            long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            // n is an unsigned 64-bit count: a negative long is a value above 2^63, certainly too large.
            if (n < 0 || n > limits.maxHeaderBytes()) {
                throw new HeaderTooLargeException(source, n, limits.maxHeaderBytes());
            }
            if (n > fileLength - LENGTH_PREFIX) {
                throw new WeightsFormatException(source, null, "the header length " + n + " runs past the end of the file ("
                        + fileLength + " bytes)");
            }
            byte[] headerBytes = file.asSlice(LENGTH_PREFIX, n).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = LENGTH_PREFIX + n;
            MemorySegment data = file.asSlice(dataStart);
            SafetensorsHeader header = SafetensorsHeader.parse(source, headerBytes, data.byteSize());
            for (SafetensorsHeader.Entry e : header.tensors().values()) {
                if (e.type() == DiskType.BOOL) {
                    long bad = DiskType.firstInvalidBool(data, e.begin(), e.end() - e.begin());
                    if (bad >= 0) {
                        throw new WeightsFormatException(source, e.key(), "BOOL element " + bad + " is byte "
                                + data.get(ValueLayout.JAVA_BYTE, e.begin() + bad) + "; BOOL bytes must be 0 or 1");
                    }
                }
            }
            return new SafetensorsFile(path, arena, data, dataStart, header);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** Tensor keys in the order the header lists them ({@code __metadata__} excluded). */
    public List<String> keys() {
        return List.copyOf(header.tensors().keySet());
    }

    public boolean contains(String key) {
        return header.tensors().containsKey(key);
    }

    public TensorInfo info(String key) {
        SafetensorsHeader.Entry e = entry(key);
        return new TensorInfo(e.type().dtype, e.shape(), dataStart + e.begin(), e.end() - e.begin());
    }

    /** The {@code __metadata__} strings in file order; empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * A copy of the tensor {@code key}. F16 and BF16 elements are widened to floats and keep their dtype.
     *
     * @throws UnsupportedOperationException if the tensor has more elements than a {@link Tensor} holds;
     *     use {@link #segment} for it
     */
    public Tensor read(String key) {
        SafetensorsHeader.Entry e = entry(key);
        checkOpen();
        long count = (e.end() - e.begin()) / e.type().size;
        if (count > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException(path + ": tensor '" + key + "' has " + count
                    + " elements, more than a Tensor can hold; use segment() instead");
        }
        return e.type().decodeTensor(data, e.begin(), e.shape(), ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The raw little-endian bytes of tensor {@code key}: a read-only view into the mapping, valid until
     * {@link #close()}.
     */
    public MemorySegment segment(String key) {
        SafetensorsHeader.Entry e = entry(key);
        checkOpen();
        return data.asSlice(e.begin(), e.end() - e.begin()).asReadOnly();
    }

    private SafetensorsHeader.Entry entry(String key) {
        SafetensorsHeader.Entry e = header.tensors().get(key);
        if (e == null) throw new NoSuchElementException(path + ": no tensor '" + key + "'");
        return e;
    }

    private void checkOpen() {
        if (closed.get()) throw new IllegalStateException(path + " is closed");
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) arena.close();
    }
}
