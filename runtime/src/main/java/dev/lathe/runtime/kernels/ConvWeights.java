package dev.lathe.runtime.kernels;

/**
 * A convolution weight [cout, cin, kh, kw] (one group) packed once at load for {@link Conv2d#forwardPacked}:
 * output channels in panels of {@link #panelWidth()}, each panel {@code [cin * kh * kw][panelWidth]} with
 * the reduction index {@code i = (c * kh + ky) * kw + kx}, the last panel zero-padded. The panel width
 * is the kernel's: the direct kernel's channel block (a tap's weights are MR consecutive broadcasts) or
 * the implicit GEMM's two vectors (a tap's weights are two vector loads); see {@link Conv2d#prefersDirect}.
 * Immutable once packed; shared by all calls.
 */
public final class ConvWeights {
    private final int cout, cin, kh, kw, nr;
    private final boolean direct;
    private final float[] data;

    private ConvWeights(int cout, int cin, int kh, int kw, int nr, boolean direct, float[] data) {
        this.direct = direct;
        this.cout = cout;
        this.cin = cin;
        this.kh = kh;
        this.kw = kw;
        this.nr = nr;
        this.data = data;
    }

    /**
     * Packs weight [cout, cin, kh, kw] at {@code off} for this machine's direct kernel ({@code direct},
     * for convolutions where {@link Conv2d#prefersDirect} holds) or its implicit GEMM; any packing
     * computes any convolution, the other kernels only run slower.
     */
    public static ConvWeights pack(float[] weight, int off, int cout, int cin, int kh, int kw, boolean direct) {
        int nr = !Kernels.VECTOR ? ConvImplicitScalar.NR : direct ? ConvDirectVector.MR : ConvImplicitVector.NR;
        return pack(weight, off, cout, cin, kh, kw, Kernels.VECTOR && direct, nr);
    }

    static ConvWeights pack(float[] weight, int off, int cout, int cin, int kh, int kw, boolean direct, int nr) {
        Checks.nonNegative("ConvWeights.pack", cout, cin, off);
        if (kh < 1 || kw < 1) throw new IllegalArgumentException("conv: kernel must be at least 1x1");
        int kk = cin * kh * kw;
        Checks.matrix("weight", weight, off, cout, kk, kk, 1);
        int panels = (cout + nr - 1) / nr;
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(panels, kk), nr)];
        for (int o = 0; o < cout; o++) {
            int d = (o / nr) * kk * nr + o % nr;
            for (int i = 0, s = off + o * kk; i < kk; i++, d += nr) data[d] = weight[s + i];
        }
        return new ConvWeights(cout, cin, kh, kw, nr, direct, data);
    }

    public int cout() { return cout; }

    public int cin() { return cin; }

    public int kh() { return kh; }

    public int kw() { return kw; }

    /** Output channels per panel. */
    public int panelWidth() { return nr; }

    public long bytes() { return 4L * data.length; }

    /** Whether the panels are the direct kernel's blocks. */
    boolean direct() { return direct; }

    float[] data() { return data; }

    /** The weight of output channel o at reduction index i. */
    public float get(int o, int i) {
        return data[(o / nr) * cin * kh * kw * nr + i * nr + o % nr];
    }

    @Override
    public String toString() {
        return "ConvWeights[" + cout + "x" + cin + "x" + kh + "x" + kw + ", " + (direct ? "direct" : "implicit") + " panel " + nr + "]";
    }
}
