package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API direct convolution for stride 1 and one group, without im2col. Each image is copied once
 * into zero-padded planes of width {@code wp = w + padLeft + padRight}; on that layout output pixel
 * {@code (y, x)} at "wide" index {@code q = y * wp + x} reads tap {@code (ky, kx)} of channel c at
 * {@code c * plane + q + ky * dh * wp + kx * dw}, so every tap is one contiguous vector load and the
 * whole plane is a 1-D convolution. The {@code (kw - 1) * dw} columns at the end of each wide row are
 * junk (they wrap into the next row) and are dropped when the wide rows are copied to the output.
 * <pre>
 *   for each (image, block of MR output channels, chunk of wide pixels):
 *     for each tile of 2 vectors of wide pixels:  MR x 2 accumulators, initialised to the bias
 *       for c, ky, kx:  load 2 vectors of x at the tap's offset, one fma per accumulator
 *     relu on the accumulators (other activations over the block's wide rows), then copy the valid
 *     columns of each row to out
 * </pre>
 * Weights are packed as {@code [block][c][tap][MR]} so that a tap's MR broadcasts read consecutive
 * floats: at load ({@link ConvWeights} with panel width MR, see {@link Conv2d#packedKernel}) or, for a
 * plain weight, per call into scratch. Per output element the sum runs over (c, ky, kx) in that order whatever the
 * split, so the thread count never changes results.
 */
final class ConvDirectVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Wide pixels per tile: two vectors. */
    private static final int TILE = 2 * L;
    /** Output channels per block: 8 x 2 accumulators fit AVX-512's 32 registers; 4 x 2 fit AVX2's 16. */
    static final int MR = L >= 16 ? 8 : 4;
    /** Above this many padded input floats per image (L2-sized), im2col + GEMM's blocking wins. */
    private static final int MAX_PADDED_IMAGE = 1 << 17;
    private static final int MAX_TAPS = 49;
    /** Reductions shorter than this run on {@link #tile8Short}. */
    private static final int SHORT_KK = 32;
    /** Padded floats per group of images (16 MB). */
    private static final int MAX_PADDED_GROUP = 1 << 22;

    private ConvDirectVector() {}

    /** Whether this kernel handles the convolution; otherwise the caller runs im2col + GEMM. */
    static boolean applies(int cin, int h, int w, int kh, int kw, ConvGeometry g) {
        return g.groups() == 1 && g.strideH() == 1 && g.strideW() == 1 && kh * kw <= MAX_TAPS
                && (long) cin * (h + g.padTop() + g.padBottom()) * (w + g.padLeft() + g.padRight()) <= MAX_PADDED_IMAGE;
    }

    /**
     * With {@code maxPool2x2}, out is the 2x2 stride-2 max pool of the convolution, [batch, cout, oh / 2,
     * ow / 2], taken straight from each block's wide rows. The weight is packed into scratch here.
     */
    static void forward(float[] x, int xOff, int batch, int cin, int h, int w, float[] weight, int wOff, int cout, int kh, int kw,
                        float[] bias, int biasOff, ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff,
                        int oh, int ow, Parallelism par) {
        int kk = cin * kh * kw, blocks = (cout + MR - 1) / MR;
        float[] packed = Scratch.get(Scratch.GEMM_A, blocks * (kk + 1) * MR);
        packWeights(weight, wOff, cout, kk, blocks, packed);
        packBiases(bias, biasOff, cout, blocks, packed, blocks * kk * MR);
        convolve(x, xOff, batch, cin, h, w, packed, cout, kh, kw, packed, blocks * kk * MR, g, act, maxPool2x2, out, outOff, oh, ow, par);
    }

    /** {@link #forward} with the weight packed at load; its panel width must be {@link #MR}. */
    static void forward(float[] x, int xOff, int batch, int cin, int h, int w, ConvWeights weight,
                        float[] bias, int biasOff, ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff,
                        int oh, int ow, Parallelism par) {
        int cout = weight.cout(), blocks = (cout + MR - 1) / MR;
        float[] biases = Scratch.get(Scratch.GEMM_A, blocks * MR);
        packBiases(bias, biasOff, cout, blocks, biases, 0);
        convolve(x, xOff, batch, cin, h, w, weight.data(), cout, weight.kh(), weight.kw(), biases, 0, g, act, maxPool2x2, out, outOff,
                oh, ow, par);
    }

    /** wd: [block][(c, tap)][MR] weights; bp[bpOff + o]: bias of channel o, zero up to blocks * MR. */
    private static void convolve(float[] x, int xOff, int batch, int cin, int h, int w, float[] wd, int cout, int kh, int kw,
                                 float[] bp, int bpOff, ConvGeometry g, Activation act, boolean maxPool2x2, float[] out, int outOff,
                                 int oh, int ow, Parallelism par) {
        int hp = h + g.padTop() + g.padBottom(), wp = w + g.padLeft() + g.padRight();
        if (maxPool2x2 && ConvDirectPooledVector.applies(wp, act)) {
            ConvDirectPooledVector.convolve(x, xOff, batch, cin, h, w, wd, cout, kh, kw, bp, bpOff, g, act, out, outOff, oh, ow, par);
            return;
        }
        int plane = hp * wp;
        int image = ConvPadding.imageFloats(cin, plane); // the last tile may read past the last plane
        int wide = (oh - 1) * wp + ow; // wide pixels that hold outputs
        int tiles = (wide + TILE - 1) / TILE;
        int taps = kh * kw;
        // Input offset of reduction step i = (c, ky, kx), so the tile's loop has one induction variable
        // (bounds checks on the weights and offsets then leave the loop).
        int[] taps0 = ConvPadding.tapOffsets(cin, kh, kw, g, plane, wp);
        int blocks = (cout + MR - 1) / MR;
        int pixels = maxPool2x2 ? (oh / 2) * (ow / 2) : oh * ow;
        long perImage = 2L * cout * cin * taps * tiles * TILE;
        // Several images: whole images per task, so each thread pads an image into its own scratch and
        // convolves it while it is in cache, with no barrier between padding and convolving (on 2 threads
        // this took the CNN's 16 -> 32 layer at batch 16 from 1.1x to 1.7x the speed of 1 thread), and any
        // split worth a thread is taken.
        Parallelism perTask = par.forWork(perImage * batch, Parallelism.MIN_WORK_PER_THREAD);
        int threads = perTask.threads();
        if (batch > 1 && (threads == 1 || batch % threads == 0 || batch >= 4 * threads)) {
            perTask.forEach(batch, b -> {
                float[] own = Scratch.get(Scratch.CONV_COLUMNS, image);
                ConvPadding.pad(x, xOff + b * cin * h * w, cin, h, w, g, hp, wp, own, 0);
                for (int ob = 0; ob < blocks; ob++) {
                    block(own, 0, cin * taps, taps0, wd, bp, bpOff, ob, cout, act, 0, tiles, wide, wp, oh, ow, maxPool2x2,
                            out, outOff + b * cout * pixels, pixels);
                }
            });
            return;
        }
        // One image (or a batch that whole images would split unevenly): images are padded in groups, so
        // the padded copy stays bounded whatever the batch, then blocks of channels (and chunks of pixels)
        // are the tasks.
        int group = Math.max(1, Math.min(batch, MAX_PADDED_GROUP / image));
        // The full share even while a worker spins: a split batch-1 conv lost more to the hand-off than it gained (CNN b1, 2 threads).
        Parallelism p = par.forWork(perImage * group, Parallelism.MIN_WORK_PER_THREAD * Parallelism.AWAKE_DIVISOR);
        float[] padded = Scratch.get(Scratch.CONV_COLUMNS, group * image);
        // Split wide pixels into chunks only when images x blocks cannot feed every thread (and never when
        // pooling, which needs whole row pairs).
        int chunks = maxPool2x2 ? 1 : Math.min(tiles, Math.max(1, (p.threads() + group * blocks - 1) / (group * blocks)));
        for (int first = 0; first < batch; first += group) {
            int b0 = first, n = Math.min(group, batch - first);
            p.forEach(n, i -> ConvPadding.pad(x, xOff + (b0 + i) * cin * h * w, cin, h, w, g, hp, wp, padded, i * image));
            p.forEach(n * blocks * chunks, t -> {
                int i = t / (blocks * chunks), ob = t / chunks % blocks, ch = t % chunks;
                int t0 = tiles * ch / chunks, t1 = tiles * (ch + 1) / chunks;
                block(padded, i * image, cin * taps, taps0, wd, bp, bpOff, ob, cout, act, t0, t1, wide, wp, oh, ow, maxPool2x2,
                        out, outOff + (b0 + i) * cout * pixels, pixels);
            });
        }
    }

    /** packed[ob * kk * MR + i * MR + r] = weight[o = ob * MR + r][i], zero for o >= cout (the layout of {@link ConvWeights} with panel MR). */
    private static void packWeights(float[] weight, int wOff, int cout, int kk, int blocks, float[] packed) {
        for (int ob = 0; ob < blocks; ob++) {
            int base = ob * kk * MR;
            for (int r = 0; r < MR; r++) {
                int o = ob * MR + r;
                if (o < cout) {
                    for (int i = 0, s = wOff + o * kk; i < kk; i++) packed[base + i * MR + r] = weight[s + i];
                } else {
                    for (int i = 0; i < kk; i++) packed[base + i * MR + r] = 0f;
                }
            }
        }
    }

    /** dst[d + o] = bias[biasOff + o] for o < cout, zero up to blocks * MR (all zero without a bias). */
    private static void packBiases(float[] bias, int biasOff, int cout, int blocks, float[] dst, int d) {
        for (int o = 0; o < blocks * MR; o++) dst[d + o] = bias == null || o >= cout ? 0f : bias[biasOff + o];
    }

    /**
     * Output channels [ob * MR, ...) of one image, wide tiles [t0, t1) (all of them when pooling), into out
     * (one channel's plane is pixels long).
     */
    private static void block(float[] xp, int xi, int kk, int[] tapOff, float[] packed, float[] bp, int bpOff, int ob, int cout,
                              Activation act, int t0, int t1, int wide, int wp, int oh, int ow, boolean maxPool2x2,
                              float[] out, int outOff, int pixels) {
        int q0 = t0 * TILE, len = (t1 - t0) * TILE;
        float[] acc = Scratch.get(Scratch.CONV_WIDE, MR * len);
        int wi = ob * kk * MR, bi = bpOff + ob * MR;
        boolean relu = act == Activation.RELU;
        for (int q = q0; q < q0 + len; q += TILE) {
            if (MR == 8 && kk < SHORT_KK) tile8Short(xp, xi + q, kk, tapOff, packed, wi, bp, bi, relu, acc, q - q0, len);
            else if (MR == 8) tile8(xp, xi + q, kk, tapOff, packed, wi, bp, bi, relu, acc, q - q0, len);
            else tile4(xp, xi + q, kk, tapOff, packed, wi, bp, bi, relu, acc, q - q0, len);
        }
        int rows = Math.min(MR, cout - ob * MR);
        int valid = Math.min(len, wide - q0);
        for (int r = 0; r < rows; r++) {
            if (act != Activation.NONE && !relu) ActivationsVector.apply(act, acc, r * len, valid, acc, r * len);
            int o = outOff + (ob * MR + r) * pixels;
            if (maxPool2x2) {
                // The wide rows are a plane of row stride wp whose first ow columns are the output.
                PoolVector.max2x2(acc, r * len, wp, out, o, oh / 2, ow / 2);
                continue;
            }
            // Wide pixels [q0, q0 + valid) cover output rows y0..y1; copy each row's part in [0, ow).
            for (int y = q0 / wp, qEnd = q0 + valid; y * wp < qEnd; y++) {
                int lo = Math.max(q0, y * wp), hi = Math.min(qEnd, y * wp + ow);
                if (lo < hi) System.arraycopy(acc, r * len + lo - q0, out, o + y * ow + lo - y * wp, hi - lo);
            }
        }
    }

    /** 8 channels x 2 vectors of wide pixels starting at xp[xi], summed over the kk steps of tapOff; rows of acc are len apart. */
    private static void tile8(float[] xp, int xi, int kk, int[] tapOff, float[] w, int wi, float[] bp, int bi, boolean relu,
                              float[] acc, int a, int len) {
        FloatVector c00 = FloatVector.broadcast(S, bp[bi]), c01 = c00;
        FloatVector c10 = FloatVector.broadcast(S, bp[bi + 1]), c11 = c10;
        FloatVector c20 = FloatVector.broadcast(S, bp[bi + 2]), c21 = c20;
        FloatVector c30 = FloatVector.broadcast(S, bp[bi + 3]), c31 = c30;
        FloatVector c40 = FloatVector.broadcast(S, bp[bi + 4]), c41 = c40;
        FloatVector c50 = FloatVector.broadcast(S, bp[bi + 5]), c51 = c50;
        FloatVector c60 = FloatVector.broadcast(S, bp[bi + 6]), c61 = c60;
        FloatVector c70 = FloatVector.broadcast(S, bp[bi + 7]), c71 = c70;
        for (int i = 0; i < kk; i++) {
            int s = xi + tapOff[i];
            int wt = wi + i * 8;
            FloatVector x0 = FloatVector.fromArray(S, xp, s);
            FloatVector x1 = FloatVector.fromArray(S, xp, s + L);
            FloatVector v = FloatVector.broadcast(S, w[wt]);
            c00 = v.fma(x0, c00);
            c01 = v.fma(x1, c01);
            v = FloatVector.broadcast(S, w[wt + 1]);
            c10 = v.fma(x0, c10);
            c11 = v.fma(x1, c11);
            v = FloatVector.broadcast(S, w[wt + 2]);
            c20 = v.fma(x0, c20);
            c21 = v.fma(x1, c21);
            v = FloatVector.broadcast(S, w[wt + 3]);
            c30 = v.fma(x0, c30);
            c31 = v.fma(x1, c31);
            v = FloatVector.broadcast(S, w[wt + 4]);
            c40 = v.fma(x0, c40);
            c41 = v.fma(x1, c41);
            v = FloatVector.broadcast(S, w[wt + 5]);
            c50 = v.fma(x0, c50);
            c51 = v.fma(x1, c51);
            v = FloatVector.broadcast(S, w[wt + 6]);
            c60 = v.fma(x0, c60);
            c61 = v.fma(x1, c61);
            v = FloatVector.broadcast(S, w[wt + 7]);
            c70 = v.fma(x0, c70);
            c71 = v.fma(x1, c71);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            c00 = c00.blend(0f, c00.lt(0f));
            c01 = c01.blend(0f, c01.lt(0f));
            c10 = c10.blend(0f, c10.lt(0f));
            c11 = c11.blend(0f, c11.lt(0f));
            c20 = c20.blend(0f, c20.lt(0f));
            c21 = c21.blend(0f, c21.lt(0f));
            c30 = c30.blend(0f, c30.lt(0f));
            c31 = c31.blend(0f, c31.lt(0f));
            c40 = c40.blend(0f, c40.lt(0f));
            c41 = c41.blend(0f, c41.lt(0f));
            c50 = c50.blend(0f, c50.lt(0f));
            c51 = c51.blend(0f, c51.lt(0f));
            c60 = c60.blend(0f, c60.lt(0f));
            c61 = c61.blend(0f, c61.lt(0f));
            c70 = c70.blend(0f, c70.lt(0f));
            c71 = c71.blend(0f, c71.lt(0f));
        }
        c00.intoArray(acc, a);
        c01.intoArray(acc, a + L);
        c10.intoArray(acc, a + len);
        c11.intoArray(acc, a + len + L);
        c20.intoArray(acc, a + 2 * len);
        c21.intoArray(acc, a + 2 * len + L);
        c30.intoArray(acc, a + 3 * len);
        c31.intoArray(acc, a + 3 * len + L);
        c40.intoArray(acc, a + 4 * len);
        c41.intoArray(acc, a + 4 * len + L);
        c50.intoArray(acc, a + 5 * len);
        c51.intoArray(acc, a + 5 * len + L);
        c60.intoArray(acc, a + 6 * len);
        c61.intoArray(acc, a + 6 * len + L);
        c70.intoArray(acc, a + 7 * len);
        c71.intoArray(acc, a + 7 * len + L);
    }

    /**
     * A copy of {@link #tile8} for short reductions (kk < SHORT_KK, e.g. one input channel's 9 taps). C2
     * shapes a loop by its profile, and one copy serving the CNN's 9-step and 144-step layers ran each
     * slower than when compiled for it alone (as {@link GemmVector}'s short kernels).
     */
    private static void tile8Short(float[] xp, int xi, int kk, int[] tapOff, float[] w, int wi, float[] bp, int bi, boolean relu,
                              float[] acc, int a, int len) {
        FloatVector c00 = FloatVector.broadcast(S, bp[bi]), c01 = c00;
        FloatVector c10 = FloatVector.broadcast(S, bp[bi + 1]), c11 = c10;
        FloatVector c20 = FloatVector.broadcast(S, bp[bi + 2]), c21 = c20;
        FloatVector c30 = FloatVector.broadcast(S, bp[bi + 3]), c31 = c30;
        FloatVector c40 = FloatVector.broadcast(S, bp[bi + 4]), c41 = c40;
        FloatVector c50 = FloatVector.broadcast(S, bp[bi + 5]), c51 = c50;
        FloatVector c60 = FloatVector.broadcast(S, bp[bi + 6]), c61 = c60;
        FloatVector c70 = FloatVector.broadcast(S, bp[bi + 7]), c71 = c70;
        for (int i = 0; i < kk; i++) {
            int s = xi + tapOff[i];
            int wt = wi + i * 8;
            FloatVector x0 = FloatVector.fromArray(S, xp, s);
            FloatVector x1 = FloatVector.fromArray(S, xp, s + L);
            FloatVector v = FloatVector.broadcast(S, w[wt]);
            c00 = v.fma(x0, c00);
            c01 = v.fma(x1, c01);
            v = FloatVector.broadcast(S, w[wt + 1]);
            c10 = v.fma(x0, c10);
            c11 = v.fma(x1, c11);
            v = FloatVector.broadcast(S, w[wt + 2]);
            c20 = v.fma(x0, c20);
            c21 = v.fma(x1, c21);
            v = FloatVector.broadcast(S, w[wt + 3]);
            c30 = v.fma(x0, c30);
            c31 = v.fma(x1, c31);
            v = FloatVector.broadcast(S, w[wt + 4]);
            c40 = v.fma(x0, c40);
            c41 = v.fma(x1, c41);
            v = FloatVector.broadcast(S, w[wt + 5]);
            c50 = v.fma(x0, c50);
            c51 = v.fma(x1, c51);
            v = FloatVector.broadcast(S, w[wt + 6]);
            c60 = v.fma(x0, c60);
            c61 = v.fma(x1, c61);
            v = FloatVector.broadcast(S, w[wt + 7]);
            c70 = v.fma(x0, c70);
            c71 = v.fma(x1, c71);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            c00 = c00.blend(0f, c00.lt(0f));
            c01 = c01.blend(0f, c01.lt(0f));
            c10 = c10.blend(0f, c10.lt(0f));
            c11 = c11.blend(0f, c11.lt(0f));
            c20 = c20.blend(0f, c20.lt(0f));
            c21 = c21.blend(0f, c21.lt(0f));
            c30 = c30.blend(0f, c30.lt(0f));
            c31 = c31.blend(0f, c31.lt(0f));
            c40 = c40.blend(0f, c40.lt(0f));
            c41 = c41.blend(0f, c41.lt(0f));
            c50 = c50.blend(0f, c50.lt(0f));
            c51 = c51.blend(0f, c51.lt(0f));
            c60 = c60.blend(0f, c60.lt(0f));
            c61 = c61.blend(0f, c61.lt(0f));
            c70 = c70.blend(0f, c70.lt(0f));
            c71 = c71.blend(0f, c71.lt(0f));
        }
        c00.intoArray(acc, a);
        c01.intoArray(acc, a + L);
        c10.intoArray(acc, a + len);
        c11.intoArray(acc, a + len + L);
        c20.intoArray(acc, a + 2 * len);
        c21.intoArray(acc, a + 2 * len + L);
        c30.intoArray(acc, a + 3 * len);
        c31.intoArray(acc, a + 3 * len + L);
        c40.intoArray(acc, a + 4 * len);
        c41.intoArray(acc, a + 4 * len + L);
        c50.intoArray(acc, a + 5 * len);
        c51.intoArray(acc, a + 5 * len + L);
        c60.intoArray(acc, a + 6 * len);
        c61.intoArray(acc, a + 6 * len + L);
        c70.intoArray(acc, a + 7 * len);
        c71.intoArray(acc, a + 7 * len + L);
    }

    /** 4 channels x 2 vectors (narrow vectors: 8 accumulators leave registers for the loads). */
    private static void tile4(float[] xp, int xi, int kk, int[] tapOff, float[] w, int wi, float[] bp, int bi, boolean relu,
                              float[] acc, int a, int len) {
        FloatVector c00 = FloatVector.broadcast(S, bp[bi]), c01 = c00;
        FloatVector c10 = FloatVector.broadcast(S, bp[bi + 1]), c11 = c10;
        FloatVector c20 = FloatVector.broadcast(S, bp[bi + 2]), c21 = c20;
        FloatVector c30 = FloatVector.broadcast(S, bp[bi + 3]), c31 = c30;
        for (int i = 0; i < kk; i++) {
            int s = xi + tapOff[i];
            int wt = wi + i * 4;
            FloatVector x0 = FloatVector.fromArray(S, xp, s);
            FloatVector x1 = FloatVector.fromArray(S, xp, s + L);
            FloatVector v = FloatVector.broadcast(S, w[wt]);
            c00 = v.fma(x0, c00);
            c01 = v.fma(x1, c01);
            v = FloatVector.broadcast(S, w[wt + 1]);
            c10 = v.fma(x0, c10);
            c11 = v.fma(x1, c11);
            v = FloatVector.broadcast(S, w[wt + 2]);
            c20 = v.fma(x0, c20);
            c21 = v.fma(x1, c21);
            v = FloatVector.broadcast(S, w[wt + 3]);
            c30 = v.fma(x0, c30);
            c31 = v.fma(x1, c31);
        }
        if (relu) { // as ActivationsVector.relu: -0 and NaN stay
            c00 = c00.blend(0f, c00.lt(0f));
            c01 = c01.blend(0f, c01.lt(0f));
            c10 = c10.blend(0f, c10.lt(0f));
            c11 = c11.blend(0f, c11.lt(0f));
            c20 = c20.blend(0f, c20.lt(0f));
            c21 = c21.blend(0f, c21.lt(0f));
            c30 = c30.blend(0f, c30.lt(0f));
            c31 = c31.blend(0f, c31.lt(0f));
        }
        c00.intoArray(acc, a);
        c01.intoArray(acc, a + L);
        c10.intoArray(acc, a + len);
        c11.intoArray(acc, a + len + L);
        c20.intoArray(acc, a + 2 * len);
        c21.intoArray(acc, a + 2 * len + L);
        c30.intoArray(acc, a + 3 * len);
        c31.intoArray(acc, a + 3 * len + L);
    }
}
