package dev.lathe.runtime.io;

/**
 * Resource caps applied while reading a .npy file.
 *
 * @param maxHeaderBytes largest accepted header length; numpy's own default is 10,000
 */
public record NpyLimits(int maxHeaderBytes) {
    public static final NpyLimits DEFAULT = new NpyLimits(10_000);

    public NpyLimits {
        if (maxHeaderBytes < 0) throw new IllegalArgumentException("maxHeaderBytes must be >= 0, got " + maxHeaderBytes);
    }
}
