package dev.lathe.runtime.io;

/**
 * Resource caps applied while opening a safetensors file.
 *
 * @param maxHeaderBytes largest accepted JSON header length N; the reference implementation's cap is
 *     100,000,000 bytes
 */
public record SafetensorsLimits(long maxHeaderBytes) {
    public static final SafetensorsLimits DEFAULT = new SafetensorsLimits(100_000_000L);

    public SafetensorsLimits {
        // The header is decoded into one Java array, so the cap cannot exceed what an array holds.
        if (maxHeaderBytes < 0 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [0, " + (Integer.MAX_VALUE - 8) + "], got " + maxHeaderBytes);
        }
    }
}
