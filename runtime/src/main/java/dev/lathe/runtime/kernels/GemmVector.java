package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM over a {@link PackedMatrix}: BLIS-style blocking with a register-tiled micro-kernel.
 * <pre>
 *   for each k block of KC:                    B panels are pre-packed [k][NR]; A block packed here
 *     for each row block of MC:  pack A[MC, KC] into MR-row micro-panels [KC][MR]
 *       for each B panel (NR = 2 vectors wide):
 *         for each MR rows:  micro-kernel: MR x NR accumulators in FloatVector locals, one fma each per k
 * </pre>
 * The micro-kernels (8 or 6 rows for full tiles, with copies for short reductions; 8 rows by one
 * vector, 4 rows and 1 row for the edges) are separate methods, one per shape class (DESIGN.md §6),
 * each keeping its accumulators in locals for the whole k loop. Partial tiles at the right or bottom
 * edge are computed into a small tile buffer and copied. The epilogue runs on each finished column
 * panel while it is still in cache.
 */
final class GemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int NR = 2 * L;
    /**
     * Rows per micro-tile: 8 (16 accumulators) with 512-bit vectors, where AVX-512 has 32 registers;
     * 6 (12 accumulators) with narrower ones, which must fit AVX2's 16. Measured on Zen 4 at 512³:
     * 8 rows 93% of peak, 6 rows 88%, 12 rows no better than 8.
     */
    static final int MR = L >= 16 ? 8 : 6;
    /**
     * k block: 1024, so reductions up to 1024 (every layer of the MLP and encoder examples) write C once.
     * Measured on Zen 4, 1 thread: 64x784x512 +2.4% over 512 (one block of 784 against 512 + 272),
     * 64x1024x512 and 256x1024x1024 +1-3%, 128x1024x256 equal; 256 and 128 were 3% and 5% slower than 512.
     */
    private static final int KC = 1024;
    private static final int MC = 16 * MR;
    /** Reductions shorter than this run in the *Short micro-kernel copies (a separate shape class). */
    private static final int SHORT_K = 64;

    private GemmVector() {}

    static void gemm(int m, float[] a, int aOff, int aRs, int aCs, PackedMatrix b, float[] c, int cOff, int ldc,
                     Epilogue ep, float[] rowBias, int rowBiasOff, Parallelism par) {
        int n = b.n();
        boolean accumulate = false;
        if (ep.residual() != null && ep.residual() == c) {
            if (ep.act() == Activation.NONE && ep.resOff() == cOff && ep.ldr() == ldc) {
                // C += A·B + bias: the micro-kernels add into C, which still holds the residual.
                accumulate = true;
                ep = new Epilogue(ep.bias(), ep.biasOff(), Activation.NONE, null, 0, 0);
            } else {
                // The residual must survive until after the activation: copy it.
                float[] copy = new float[m * n];
                for (int i = 0; i < m; i++) System.arraycopy(c, ep.resOff() + i * ep.ldr(), copy, i * n, n);
                ep = ep.withResidual(copy, 0, n);
            }
        }
        Epilogue epi = ep;
        boolean acc = accumulate;
        par = par.forWork(2L * m * n * b.k(), Parallelism.MIN_WORK_PER_THREAD);
        int panels = (n + NR - 1) / NR;
        int threads = par.threads();
        // Row blocks of MC (smaller when that leaves threads idle), and column groups when the rows alone
        // cannot feed every thread.
        int mc = MC;
        if (threads > 1) {
            int perThread = (m + threads - 1) / threads;
            mc = Math.max(MR, Math.min(MC, (perThread + MR - 1) / MR * MR));
        }
        int rowTasks = (m + mc - 1) / mc;
        int colTasks = rowTasks >= threads ? 1 : Math.min(panels, (threads + rowTasks - 1) / rowTasks);
        int blockRows = mc;
        par.forEach(rowTasks * colTasks, t -> {
            int i0 = (t / colTasks) * blockRows;
            int ct = t % colTasks;
            block(i0, Math.min(m, i0 + blockRows), panels * ct / colTasks, panels * (ct + 1) / colTasks,
                    a, aOff, aRs, aCs, b, c, cOff, ldc, epi, rowBias, rowBiasOff, acc);
        });
    }

    /** Rows [i0, i1), column panels [p0, p1). */
    private static void block(int i0, int i1, int p0, int p1, float[] a, int aOff, int aRs, int aCs, PackedMatrix b,
                              float[] c, int cOff, int ldc, Epilogue ep, float[] rowBias, int rowBiasOff, boolean accumulate) {
        int k = b.k(), n = b.n();
        float[] bd = b.data();
        int rows = i1 - i0;
        int microPanels = (rows + MR - 1) / MR;
        float[] ap = Scratch.get(Scratch.GEMM_A, microPanels * MR * Math.min(KC, Math.max(k, 1)) + MR * NR);
        int tileOff = ap.length - MR * NR; // the last MR*NR floats hold edge tiles
        boolean identity = ep.isIdentity() && rowBias == null;
        // One row (a GEMV): kernel1 reads A's row in place, since packing it costs as much as the product.
        boolean gemv = rows == 1;
        if (k == 0) {
            for (int jp = p0; jp < p1; jp++) {
                int j0 = jp * NR;
                if (!accumulate) zeroTile(c, cOff + i0 * ldc + j0, ldc, rows, Math.min(NR, n - j0));
                if (!identity) epilogue(c, cOff, ldc, i0, i1, j0, Math.min(NR, n - j0), ep, rowBias, rowBiasOff, true);
            }
            return;
        }
        // GELU, SiLU, tanh, sigmoid run once per row over every panel of the block, after the last panel:
        // per 32-wide panel row, their call and constant set-up cost more than the math (GELU took 27% of a
        // 64x512x512 GEMM that way). Bias and ReLU stay per panel, while it is in L1.
        boolean rowWide = ep.act() != Activation.NONE && ep.act() != Activation.RELU;
        boolean fusable = ep.bias() != null && rowBias == null && ep.residual() == null && !rowWide;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean first = pc == 0 && !accumulate;
            boolean last = pc + kc == k;
            if (!gemv) packA(a, aOff, aRs, aCs, i0, rows, pc, kc, ap);
            float[] a1 = gemv ? a : ap;
            int a1Off = gemv ? aOff + i0 * aRs + pc * aCs : 0, a1Step = gemv ? aCs : MR;
            for (int jp = p0; jp < p1; jp++) {
                int j0 = jp * NR;
                int w = Math.min(NR, n - j0);
                int bOff = jp * k * NR + pc * NR;
                // A bias (and ReLU) alone joins the long kernel's last k block when every tile of the panel
                // is full (an MLP's 64-row GEMMs: the separate pass over C cost 2%).
                boolean fused = last && fusable && w == NR && rows % MR == 0 && MR == 8 && kc >= SHORT_K;
                for (int mp = 0; mp < microPanels; mp++) {
                    int r0 = mp * MR;
                    int h = Math.min(MR, rows - r0);
                    int apOff = mp * MR * kc;
                    int ci = cOff + (i0 + r0) * ldc + j0;
                    if (w == NR && h == MR) {
                        if (MR == 8) {
                            if (kc >= SHORT_K) kernel8(kc, ap, apOff, bd, bOff, c, ci, ldc, first, fused ? ep.bias() : null,
                                    ep.biasOff() + j0, fused && ep.act() == Activation.RELU);
                            else kernel8Short(kc, ap, apOff, bd, bOff, c, ci, ldc, first);
                        } else {
                            if (kc >= SHORT_K) kernel6(kc, ap, apOff, bd, bOff, c, ci, ldc, first);
                            else kernel6Short(kc, ap, apOff, bd, bOff, c, ci, ldc, first);
                        }
                    } else if (h == 1 && w == NR) {
                        kernel1(kc, a1, a1Off + apOff, a1Step, bd, bOff, c, ci, first);
                    } else {
                        // Edge tile: compute a full tile into the buffer, then add the valid part.
                        if (MR == 8 && w <= L && h > 1) kernel8Narrow(kc, ap, apOff, bd, bOff, ap, tileOff, NR);
                        else if (h > 6 && kc >= SHORT_K) kernel8(kc, ap, apOff, bd, bOff, ap, tileOff, NR, true, null, 0, false);
                        else if (h > 6) kernel8Short(kc, ap, apOff, bd, bOff, ap, tileOff, NR, true);
                        else if (h > 4 && kc >= SHORT_K) kernel6(kc, ap, apOff, bd, bOff, ap, tileOff, NR, true);
                        else if (h > 4) kernel6Short(kc, ap, apOff, bd, bOff, ap, tileOff, NR, true);
                        else if (h > 1) kernel4(kc, ap, apOff, bd, bOff, ap, tileOff, NR);
                        else if (w <= L) kernel1Narrow(kc, a1, a1Off + apOff, a1Step, bd, bOff, ap, tileOff);
                        else kernel1(kc, a1, a1Off + apOff, a1Step, bd, bOff, ap, tileOff, true);
                        addTile(ap, tileOff, c, ci, ldc, h, w, first);
                    }
                }
                if (last && !identity && !fused) epilogue(c, cOff, ldc, i0, i1, j0, w, ep, rowBias, rowBiasOff, !rowWide);
            }
            if (last && rowWide) {
                int j0 = p0 * NR;
                activationAndResidual(c, cOff, ldc, i0, i1, j0, Math.min(n, p1 * NR) - j0, ep);
            }
        }
    }

    /** Packs A rows [i0, i0 + rows), cols [pc, pc + kc) into micro-panels [kc][MR], zero-padding rows. */
    private static void packA(float[] a, int aOff, int aRs, int aCs, int i0, int rows, int pc, int kc, float[] ap) {
        for (int r0 = 0; r0 < rows; r0 += MR) {
            int h = Math.min(MR, rows - r0);
            int base = r0 * kc;
            if (MR == 8 && h == MR && aCs == 1) {
                GemmPackVector.pack8(a, aOff + (i0 + r0) * aRs + pc, aRs, kc, ap, base);
                continue;
            }
            // A one-row micro-panel only ever goes to kernel1, which reads row 0: skip zeroing the rest
            // (for a GEMV that was 7/8 of the packing writes).
            for (int r = 0, filled = h == 1 ? 1 : MR; r < filled; r++) {
                if (r < h) {
                    int src = aOff + (i0 + r0 + r) * aRs + pc * aCs;
                    for (int p = 0, d = base + r; p < kc; p++, d += MR, src += aCs) ap[d] = a[src];
                } else {
                    for (int p = 0, d = base + r; p < kc; p++, d += MR) ap[d] = 0f;
                }
            }
        }
    }

    /** 6 rows x NR columns: 12 accumulators. */
    private static void kernel6(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc, boolean first) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            FloatVector b1 = FloatVector.fromArray(S, bd, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /**
     * A copy of {@link #kernel6} for short reductions (kc < SHORT_K). C2 shapes a loop by its profile:
     * compiled after only short loops (a 3x3 conv's k = 9) the one copy ran 25% slower on long ones.
     */
    private static void kernel6Short(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc, boolean first) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            FloatVector b1 = FloatVector.fromArray(S, bd, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /** 8 rows x NR columns: 16 accumulators. */
    private static void kernel8(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc, boolean first, float[] bias,
                                int biasOff, boolean relu) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            FloatVector b1 = FloatVector.fromArray(S, bd, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        }
        if (bias != null) { // the epilogue's bias (and ReLU below) while the tile is in registers
            FloatVector u0 = FloatVector.fromArray(S, bias, biasOff), u1 = FloatVector.fromArray(S, bias, biasOff + L);
            c00 = c00.add(u0);
            c01 = c01.add(u1);
            c10 = c10.add(u0);
            c11 = c11.add(u1);
            c20 = c20.add(u0);
            c21 = c21.add(u1);
            c30 = c30.add(u0);
            c31 = c31.add(u1);
            c40 = c40.add(u0);
            c41 = c41.add(u1);
            c50 = c50.add(u0);
            c51 = c51.add(u1);
            c60 = c60.add(u0);
            c61 = c61.add(u1);
            c70 = c70.add(u0);
            c71 = c71.add(u1);
        }
        if (relu) { // blend, not max: keeps -0 and NaN as the scalar relu does
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
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        c71.intoArray(c, ci + 7 * ldc + L);
    }

    /**
     * A copy of {@link #kernel8} for short reductions (kc < SHORT_K). C2 shapes a loop by its profile:
     * compiled after only short loops (a 3x3 conv's k = 9) the one copy ran 25% slower on long ones.
     */
    private static void kernel8Short(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc, boolean first) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            FloatVector b1 = FloatVector.fromArray(S, bd, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        c71.intoArray(c, ci + 7 * ldc + L);
    }

    /** 8 rows x one vector of columns, into a tile buffer: the right edge when at most L columns remain. */
    private static void kernel8Narrow(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S);
        FloatVector c5 = FloatVector.zero(S);
        FloatVector c6 = FloatVector.zero(S);
        FloatVector c7 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            c0 = FloatVector.broadcast(S, ap[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b0, c7);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc);
        c5.intoArray(c, ci + 5 * ldc);
        c6.intoArray(c, ci + 6 * ldc);
        c7.intoArray(c, ci + 7 * ldc);
    }

    /**
     * 1 row x one vector of columns into a tile buffer: a GEMV's right edge when at most L columns
     * remain (a classifier head), reading half of the panel kernel1 would; k unrolled by 4 so four fma
     * chains overlap.
     */
    private static void kernel1Narrow(int kc, float[] ap, int apOff, int as, float[] bd, int bOff, float[] c, int ci) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * as, bi += 4 * NR) {
            c0 = FloatVector.broadcast(S, ap[ai]).fma(FloatVector.fromArray(S, bd, bi), c0);
            c1 = FloatVector.broadcast(S, ap[ai + as]).fma(FloatVector.fromArray(S, bd, bi + NR), c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2 * as]).fma(FloatVector.fromArray(S, bd, bi + 2 * NR), c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3 * as]).fma(FloatVector.fromArray(S, bd, bi + 3 * NR), c3);
        }
        for (; p < kc; p++, ai += as, bi += NR) c0 = FloatVector.broadcast(S, ap[ai]).fma(FloatVector.fromArray(S, bd, bi), c0);
        c0.add(c1).add(c2.add(c3)).intoArray(c, ci);
    }

    /** Up to 4 rows (of a 6-row micro-panel) x NR columns into a tile buffer of row stride ldc. */
    private static void kernel4(int kc, float[] ap, int apOff, float[] bd, int bOff, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bd, bi);
            FloatVector b1 = FloatVector.fromArray(S, bd, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /**
     * 1 row x NR columns; k unrolled by 2 into two accumulator pairs to halve the fma chain. A(0, p) is
     * ap[apOff + p * as] (a packed micro-panel's row, or A's own row for a GEMV).
     */
    private static void kernel1(int kc, float[] ap, int apOff, int as, float[] bd, int bOff, float[] c, int ci, boolean first) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector d00 = FloatVector.zero(S), d01 = FloatVector.zero(S);
        int ai = apOff, bi = bOff;
        int p = 0;
        for (; p + 1 < kc; p += 2, ai += 2 * as, bi += 2 * NR) {
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(FloatVector.fromArray(S, bd, bi), c00);
            c01 = av.fma(FloatVector.fromArray(S, bd, bi + L), c01);
            FloatVector aw = FloatVector.broadcast(S, ap[ai + as]);
            d00 = aw.fma(FloatVector.fromArray(S, bd, bi + NR), d00);
            d01 = aw.fma(FloatVector.fromArray(S, bd, bi + NR + L), d01);
        }
        if (p < kc) {
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(FloatVector.fromArray(S, bd, bi), c00);
            c01 = av.fma(FloatVector.fromArray(S, bd, bi + L), c01);
        }
        c00 = c00.add(d00);
        c01 = c01.add(d01);
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
    }

    private static void addTile(float[] tile, int tileOff, float[] c, int ci, int ldc, int h, int w, boolean first) {
        for (int r = 0; r < h; r++) {
            int t = tileOff + r * NR, d = ci + r * ldc;
            if (first) System.arraycopy(tile, t, c, d, w);
            else for (int j = 0; j < w; j++) c[d + j] += tile[t + j];
        }
    }

    private static void zeroTile(float[] c, int ci, int ldc, int h, int w) {
        for (int r = 0; r < h; r++) java.util.Arrays.fill(c, ci + r * ldc, ci + r * ldc + w, 0f);
    }

    /**
     * Bias, then (with {@code withActivation}) activation and residual, on rows [i0, i1), columns
     * [j0, j0 + w) of C, in place.
     */
    static void epilogue(float[] c, int cOff, int ldc, int i0, int i1, int j0, int w, Epilogue ep,
                                 float[] rowBias, int rowBiasOff, boolean withActivation) {
        float[] bias = ep.bias();
        float[] res = ep.residual();
        // ReLU joins the bias loop: a separate call per row of a 32-wide panel cost more than the max.
        boolean relu = withActivation && ep.act() == Activation.RELU;
        for (int i = i0; i < i1; i++) {
            int ci = cOff + i * ldc + j0;
            float rb = rowBias == null ? 0f : rowBias[rowBiasOff + i];
            boolean reluDone = false;
            if (bias != null || rowBias != null) {
                int bo = ep.biasOff() + j0;
                int j = 0;
                if (bias != null) {
                    for (; j <= w - L; j += L) {
                        FloatVector v = FloatVector.fromArray(S, c, ci + j).add(FloatVector.fromArray(S, bias, bo + j)).add(rb);
                        // blend, not max: keeps -0 and NaN as the scalar relu does
                        (relu ? v.blend(0f, v.lt(0f)) : v).intoArray(c, ci + j);
                    }
                    for (; j < w; j++) {
                        float v = c[ci + j] + bias[bo + j] + rb;
                        c[ci + j] = relu && v < 0f ? 0f : v;
                    }
                    reluDone = relu;
                } else {
                    for (; j <= w - L; j += L) FloatVector.fromArray(S, c, ci + j).add(rb).intoArray(c, ci + j);
                    for (; j < w; j++) c[ci + j] += rb;
                }
            }
            if (withActivation && ep.act() != Activation.NONE && !reluDone) ActivationsVector.apply(ep.act(), c, ci, w, c, ci);
            if (withActivation && res != null) addResidual(c, ci, w, ep, i, j0);
        }
    }

    /** Activation, then residual, on rows [i0, i1), columns [j0, j0 + w) of C, in place. */
    private static void activationAndResidual(float[] c, int cOff, int ldc, int i0, int i1, int j0, int w, Epilogue ep) {
        for (int i = i0; i < i1; i++) {
            int ci = cOff + i * ldc + j0;
            ActivationsVector.apply(ep.act(), c, ci, w, c, ci);
            if (ep.residual() != null) addResidual(c, ci, w, ep, i, j0);
        }
    }

    private static void addResidual(float[] c, int ci, int w, Epilogue ep, int i, int j0) {
        float[] res = ep.residual();
        int ri = ep.resOff() + i * ep.ldr() + j0;
        int j = 0;
        for (; j <= w - L; j += L) {
            FloatVector.fromArray(S, c, ci + j).add(FloatVector.fromArray(S, res, ri + j)).intoArray(c, ci + j);
        }
        for (; j < w; j++) c[ci + j] += res[ri + j];
    }
}
