package dev.lathe.runtime.io;

import java.util.Objects;

/**
 * Resource caps applied while reading a .npz archive, so that a hostile archive (a zip bomb, millions
 * of entries) fails with a clear error instead of exhausting memory.
 *
 * @param maxEntries most entries the archive may list
 * @param maxTotalBytes most uncompressed bytes read over all entries
 * @param maxCompressionRatio most uncompressed bytes per compressed byte of a deflated entry
 * @param npy caps for each .npy entry
 */
public record NpzLimits(int maxEntries, long maxTotalBytes, double maxCompressionRatio, NpyLimits npy) {
    public static final NpzLimits DEFAULT = new NpzLimits(10_000, 4L << 30, 1000, NpyLimits.DEFAULT);

    public NpzLimits {
        if (maxEntries < 0) throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
        if (maxTotalBytes < 0) throw new IllegalArgumentException("maxTotalBytes must be >= 0, got " + maxTotalBytes);
        if (!(maxCompressionRatio >= 1)) throw new IllegalArgumentException("maxCompressionRatio must be >= 1, got " + maxCompressionRatio);
        Objects.requireNonNull(npy, "npy");
    }
}
