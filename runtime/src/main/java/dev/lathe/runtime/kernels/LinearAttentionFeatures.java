package dev.lathe.runtime.kernels;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FAVOR+'s random features for the f32 kernel: the reference's {@link LinearAttention#favorFeatures}
 * (so the same seed gives the same features as the interpreter), cached because drawing and
 * orthogonalizing them costs O(m d^2), about as much as a short sequence's whole attention.
 */
final class LinearAttentionFeatures {
    private record Key(int m, int d, long seed) {}

    /** A model has a few (features, head size, seed) triples; more than this means something churns. */
    private static final int MAX_ENTRIES = 64;
    private static final Map<Key, double[]> CACHE = new ConcurrentHashMap<>();

    private LinearAttentionFeatures() {}

    /** The [m, d] features times {@code factor}, rounded to float (a fresh array). */
    static float[] scaled(int m, int d, long seed, double factor) {
        Key key = new Key(m, d, seed);
        double[] w = CACHE.get(key);
        if (w == null) {
            w = LinearAttention.favorFeatures(m, d, seed);
            if (CACHE.size() >= MAX_ENTRIES) CACHE.clear();
            CACHE.put(key, w);
        }
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) out[i] = (float) (w[i] * factor);
        return out;
    }
}
