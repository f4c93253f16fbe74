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
    private volatile Dequantized dequantized;

    /** The dequantized f32 weight packed for the GEMM, with the scale arrays it was made from. */
    private record Dequantized(PackedMatrix panel, float[] scales, float[] zeros) {}
    private volatile Int8Form int8Form;

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

    /**
     * deq(W) [n, k] as f32, packed for the GEMM with {@code panelWidth}: what the weight-only path
     * multiplies from {@link QuantGemm#GEMM_ROWS} rows on. Made on first use and kept for the same
     * scale arrays (4 bytes per weight in memory; the weights file stays packed), so batched calls do
     * not dequantize and pack W again each time.
     */
    PackedMatrix dequantizedPanel(QuantGemm.Cells cells, int panelWidth) {
        Dequantized d = dequantized;
        if (d != null && d.scales() == cells.scales() && d.zeros() == cells.zeros() && d.panel().panelWidth() == panelWidth) return d.panel();
        synchronized (this) {
            d = dequantized;
            if (d != null && d.scales() == cells.scales() && d.zeros() == cells.zeros() && d.panel().panelWidth() == panelWidth) return d.panel();
            float[] w = new float[n * k];
            for (int o = 0; o < n; o++) {
                for (int p = 0; p < k; p++) {
                    int cell = cells.cell(o, p / cells.group());
                    w[o * k + p] = (get(o, p) - cells.zero(cell)) * cells.scales()[cell];
                }
            }
            PackedMatrix panel = PackedMatrix.pack(w, 0, n, k, true, panelWidth);
            dequantized = new Dequantized(panel, cells.scales(), cells.zeros());
            return panel;
        }
    }

    /**
     * The int8 weight of a DGQ layer (A8W4) stored as this 4-bit matrix with u8 group scales:
     * {@code W8[o, i] = (q[o, i] - zeros[c]) * groupScales[c]}, c = {@code o * (k / group) + i / group}
     * ({@code zeros} null: symmetric), as an i8 matrix. Made on first use and kept for the same
     * arrays; an int8 weight outside [-128, 127] is an {@link IllegalArgumentException}.
     */
    public QuantMatrix int8(float[] groupScales, float[] zeros, int group) {
        Int8Form f = int8Form;
        if (f != null && f.matches(groupScales, zeros, group)) return f.w8();
        synchronized (this) {
            f = int8Form;
            if (f != null && f.matches(groupScales, zeros, group)) return f.w8();
            if (group < 1 || k % group != 0) throw new IllegalArgumentException("group " + group + " does not divide k = " + k);
            int cols = k / group;
            if (groupScales.length < n * cols || (zeros != null && zeros.length < n * cols)) {
                throw new IllegalArgumentException("group scales and zeros need " + n * cols + " values");
            }
            byte[] w8 = new byte[Math.multiplyExact(n, k)];
            for (int o = 0; o < n; o++) {
                for (int i = 0; i < k; i++) {
                    int c = o * cols + i / group;
                    float v = (get(o, i) - (zeros == null ? 0f : zeros[c])) * groupScales[c];
                    if (!(v >= -128 && v <= 127) || v != Math.rint(v)) {
                        throw new IllegalArgumentException("the int8 weight at [" + o + ", " + i + "] is " + v + ", not an integer in [-128, 127]");
                    }
                    w8[o * k + i] = (byte) v;
                }
            }
            f = new Int8Form(groupScales, zeros, group, new QuantMatrix(n, k, 8, true, w8));
            int8Form = f;
            return f.w8();
        }
    }

    /** {@link #int8}'s result with the arrays it was made from (compared by identity: they are load-time weights). */
    private record Int8Form(float[] groupScales, float[] zeros, int group, QuantMatrix w8) {
        boolean matches(float[] gs, float[] z, int g) {
            return gs == groupScales && z == zeros && g == group;
        }
    }

    @Override
    public String toString() {
        return "QuantMatrix[n=" + n + ", k=" + k + ", " + (signed ? "i" : "u") + bits + "]";
    }
}
