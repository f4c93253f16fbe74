package dev.lathe.runtime.kernels;

/**
 * A quantized linear weight W [n = out, k = in] of 8- or 4-bit integers, prepared once at load for
 * {@link QuantGemm}. Storage (the compiled weights file holds exactly these bytes, row-major):
 * <pre>
 *   8 bits: byte o * k + i            = q[o, i]          (i8 two's complement, u8 0..255)
 *   4 bits: byte o * ceil(k / 2) + i/2 = q[o, i] in the low nibble for even i, the high for odd i
 * </pre>
 * In memory, u8 values are held minus 128 as signed bytes (so the vector code widens every 8-bit
 * weight with one signed conversion) and {@link #get} adds the 128 back. The integer-valued f32 form
 * the dynamic-activation path multiplies ({@link #exactPanels}) is made on first use. Immutable once
 * made (the lazy panels are published safely), so one matrix serves any number of concurrent calls.
 */
public final class QuantMatrix {
    private final int n;
    private final int k;
    private final int bits;
    private final boolean signed;
    /** 8 bits: q - {@link #offset8()}; 4 bits: the stored nibbles. */
    private final byte[] data;
    private volatile PackedMatrix[] exactPanels;

    private QuantMatrix(int n, int k, int bits, boolean signed, byte[] data) {
        this.n = n;
        this.k = k;
        this.bits = bits;
        this.signed = signed;
        this.data = data;
    }

    /** Bytes per stored row: k for 8 bits, ceil(k / 2) for 4. */
    public static int rowBytes(int k, int bits) {
        return bits == 8 ? k : (k + 1) / 2;
    }

    /**
     * Packs integers {@code q} [n, k] (row-major, each in the range of its type) into the stored byte
     * layout above.
     */
    public static byte[] pack(long[] q, int n, int k, int bits, boolean signed) {
        check(n, k, bits);
        long lo = signed ? -(1L << (bits - 1)) : 0, hi = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        int rb = rowBytes(k, bits);
        byte[] out = new byte[Math.multiplyExact(n, rb)];
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < k; i++) {
                long v = q[o * k + i];
                if (v < lo || v > hi) throw new IllegalArgumentException("q[" + o + ", " + i + "] = " + v + " is outside [" + lo + ", " + hi + "]");
                if (bits == 8) {
                    out[o * rb + i] = (byte) v;
                } else {
                    int shift = (i & 1) * 4;
                    out[o * rb + i / 2] |= (byte) ((v & 0xF) << shift);
                }
            }
        }
        return out;
    }

    /** The matrix stored as {@code bytes} (the layout of {@link #pack}); the bytes are copied. */
    public static QuantMatrix of(byte[] bytes, int n, int k, int bits, boolean signed) {
        check(n, k, bits);
        if (bytes.length != (long) n * rowBytes(k, bits)) {
            throw new IllegalArgumentException("a [" + n + ", " + k + "] matrix of " + bits + "-bit integers takes " + (long) n * rowBytes(k, bits)
                    + " bytes, got " + bytes.length);
        }
        byte[] d = bytes.clone();
        if (bits == 8 && !signed) for (int i = 0; i < d.length; i++) d[i] = (byte) (d[i] - 128);
        return new QuantMatrix(n, k, bits, signed, d);
    }

    private static void check(int n, int k, int bits) {
        if (bits != 8 && bits != 4) throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        Checks.nonNegative("QuantMatrix", n, k);
    }

    /** Output features (rows of W). */
    public int n() { return n; }

    /** Input features: the reduction length. */
    public int k() { return k; }

    public int bits() { return bits; }

    /** i8 / i4 (true) or u8 / u4 (false). */
    public boolean signed() { return signed; }

    /** Bytes the integers take in memory (the integer-valued f32 panels of the dynamic path not counted). */
    public long bytes() { return data.length; }

    /** q[o, i] as stored. */
    public int get(int o, int i) {
        if (o < 0 || o >= n || i < 0 || i >= k) throw new IndexOutOfBoundsException("(" + o + ", " + i + ") outside [" + n + ", " + k + "]");
        if (bits == 8) return data[o * k + i] + offset8();
        int b = data[o * rowBytes(k, 4) + i / 2];
        int nib = (i & 1) == 0 ? b & 0xF : (b >> 4) & 0xF;
        return signed ? (nib << 28) >> 28 : nib;
    }

    /** What {@link #data} lacks of q for 8 bits: 128 for u8, else 0. */
    int offset8() {
        return bits == 8 && !signed ? 128 : 0;
    }

    byte[] data() { return data; }

    /** Largest |q| the type allows: bounds the integer products of the dynamic path. */
    int maxAbs() {
        return signed ? 1 << (bits - 1) : (1 << bits) - 1;
    }

    /**
     * Wᵀ as integer-valued f32 GEMM panels, one per k chunk of {@code chunk} inputs: every partial
     * sum of a chunk's products with int8 activations is an integer below 2^24, so the f32 GEMM
     * computes it exactly, in any order. Made on first use with the panel width in use.
     */
    PackedMatrix[] exactPanels(int chunk, int panelWidth) {
        PackedMatrix[] p = exactPanels;
        if (p != null && p.length > 0 && p[0].panelWidth() == panelWidth && p[0].k() == Math.min(chunk, k)) return p;
        synchronized (this) {
            p = exactPanels;
            if (p != null && p.length > 0 && p[0].panelWidth() == panelWidth && p[0].k() == Math.min(chunk, k)) return p;
            int chunks = Math.max(1, (k + chunk - 1) / chunk);
            p = new PackedMatrix[chunks];
            for (int c = 0; c < chunks; c++) {
                int p0 = c * chunk, kc = Math.min(chunk, k - p0);
                float[] w = new float[n * kc]; // [n, kc]
                for (int o = 0; o < n; o++) for (int i = 0; i < kc; i++) w[o * kc + i] = get(o, p0 + i);
                p[c] = PackedMatrix.pack(w, 0, n, kc, true, panelWidth);
            }
            exactPanels = p;
            return p;
        }
    }

    @Override
    public String toString() {
        return "QuantMatrix[n=" + n + ", k=" + k + ", " + (signed ? "i" : "u") + bits + "]";
    }
}
