package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both sparse kernels (scalar and Vector API, both schedules) against the masked dense product
 * computed in double, within the float summation bound gamma(k) * sum |w x| of each output (k the
 * terms summed, plus the bias, activation and residual roundings), on CSR and BSR of several block
 * shapes, odd sizes, offsets and leading dims.
 */
class SparseGemmTest {
    private static final float GUARD = -777f;
    private static final double U = Math.ulp(1.0f) / 2;

    /** A random BSR (1x1 blocks: CSR) with about {@code density} of its blocks kept. */
    record Sparse(int out, int in, int br, int bc, float[] values, int[] columns, int[] ptr, double[] dense) {
        static Sparse random(Random r, int out, int in, int br, int bc, double density) {
            List<Integer> cols = new ArrayList<>();
            int[] ptr = new int[out / br + 1];
            double[] dense = new double[out * in];
            for (int rb = 0; rb < out / br; rb++) {
                for (int cb = 0; cb < in / bc; cb++) if (r.nextDouble() < density) cols.add(cb);
                ptr[rb + 1] = cols.size();
            }
            float[] values = Close.random(r, cols.size() * br * bc);
            for (int rb = 0; rb < out / br; rb++) {
                for (int e = ptr[rb]; e < ptr[rb + 1]; e++) {
                    for (int i = 0; i < br; i++) {
                        for (int j = 0; j < bc; j++) dense[(rb * br + i) * in + cols.get(e) * bc + j] = values[(e * br + i) * bc + j];
                    }
                }
            }
            return new Sparse(out, in, br, bc, values, cols.stream().mapToInt(Integer::intValue).toArray(), ptr, dense);
        }
    }

    /** Runs one implementation (the facade checks first, as callers do). */
    private static void run(boolean vector, int m, float[] x, int xOff, int ldx, Sparse w, float[] y, int yOff, int ldy, Epilogue ep, Parallelism par) {
        if (w.br == 1 && w.bc == 1) SparseGemm.csr(m, x, xOff, ldx, w.out, w.in, w.values, w.columns, w.ptr, new float[yOff + Math.max(0, (m - 1) * ldy + w.out)], yOff, ldy, ep, par);
        SparseGemm.run(vector, m, x, xOff, ldx, w.out, w.in, w.br, w.bc, w.values, w.columns, w.ptr, y, yOff, ldy, ep, par);
    }

    /** Checks y against act(x·Wᵀ + bias) + residual in double, each output within its summation bound. */
    private static void assertWithinBound(String what, int m, float[] x, int xOff, int ldx, Sparse w, float[] bias, Activation act, float[] res,
                                          float[] y, int yOff, int ldy) {
        for (int t = 0; t < m; t++) {
            for (int r = 0; r < w.out; r++) {
                double s = 0, abs = 0;
                int terms = 0;
                for (int c = 0; c < w.in; c++) {
                    double p = w.dense[r * w.in + c] * x[xOff + t * ldx + c];
                    s += p;
                    abs += Math.abs(p);
                    if (w.dense[r * w.in + c] != 0) terms++;
                }
                if (bias != null) {
                    s += bias[r];
                    abs += Math.abs(bias[r]);
                }
                double bound = (terms + 2) * U / (1 - (terms + 2) * U) * abs;
                double expected = act == Activation.RELU ? Math.max(0, s) : s;
                if (res != null) {
                    expected += res[t * w.out + r];
                    bound += U * (Math.abs(expected) + bound);
                }
                bound += U * Math.abs(expected) + Float.MIN_NORMAL;
                float got = y[yOff + t * ldy + r];
                if (!(Math.abs(got - expected) <= bound)) fail(what + ": y[" + t + ", " + r + "] = " + got + ", expected " + expected + " within " + bound);
            }
        }
        for (int i = 0; i < y.length; i++) {
            int rel = i - yOff;
            boolean inside = rel >= 0 && rel / ldy < m && rel % ldy < w.out;
            if (!inside) assertEquals(GUARD, y[i], what + ": element " + i + " outside Y was written");
        }
    }

    private static void check(boolean vector, Random r, int m, Sparse w, boolean epilogue, Parallelism par) {
        check(vector, r, m, w, epilogue, epilogue, par);
    }

    private static void check(boolean vector, Random r, int m, Sparse w, boolean epilogue, boolean residual, Parallelism par) {
        int ldx = w.in + 3, ldy = w.out + 2, xOff = 5, yOff = 3;
        float[] x = Close.random(r, xOff + m * ldx);
        float[] y = new float[yOff + m * ldy + 4];
        Arrays.fill(y, GUARD);
        float[] bias = epilogue ? Close.random(r, w.out) : null;
        float[] res = residual ? Close.random(r, m * w.out) : null;
        Epilogue ep = !epilogue ? Epilogue.NONE
                : residual ? Epilogue.of(bias, Activation.RELU).withResidual(res, 0, w.out) : Epilogue.of(bias, Activation.RELU);
        run(vector, m, x, xOff, ldx, w, y, yOff, ldy, ep, par);
        String what = (vector ? "vector" : "scalar") + " m=" + m + " [" + w.out + ", " + w.in + "] blocks " + w.br + "x" + w.bc;
        assertWithinBound(what, m, x, xOff, ldx, w, bias, epilogue ? Activation.RELU : Activation.NONE, res, y, yOff, ldy);
    }

    /**
     * One row through 4x4 blocks: four block rows at a time share one vector store (with 16 lanes), the
     * rest go output by output; 1 to 9 block rows cover both, with and without bias + ReLU.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneRowThroughFourByFourBlocks(boolean vector) {
        Random r = new Random(9);
        for (int blockRows = 1; blockRows <= 9; blockRows++) {
            for (double density : new double[] {0.2, 1}) {
                Sparse w = Sparse.random(r, 4 * blockRows, 48, 4, 4, density);
                for (int mode = 0; mode < 3; mode++) {
                    check(vector, r, 1, w, mode > 0, mode == 2, mode == 0 ? Parallelism.SERIAL : Parallelism.of(3));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void csrAndBsrMatchTheMaskedDenseProduct(boolean vector) {
        Random r = new Random(6);
        int[][] blocks = {{1, 1}, {4, 4}, {2, 8}, {1, 16}, {8, 32}, {3, 5}, {16, 1}};
        for (int[] b : blocks) {
            for (double density : new double[] {0, 0.1, 0.3, 1}) {
                Sparse w = Sparse.random(r, b[0] * 7, b[1] * 9, b[0], b[1], density);
                for (int m : new int[] {1, 2, 3, 16, 17, 40}) check(vector, r, m, w, m % 2 == 1, Parallelism.SERIAL);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void parallelSplitsOverOutputRows(boolean vector) {
        var pool = Executors.newFixedThreadPool(3);
        try {
            Random r = new Random(7);
            Sparse csr = Sparse.random(r, 300, 700, 1, 1, 0.2);
            Sparse bsr = Sparse.random(r, 256, 512, 4, 4, 0.2);
            for (int m : new int[] {1, 9, 33}) {
                check(vector, r, m, csr, true, Parallelism.of(4, pool));
                check(vector, r, m, bsr, false, Parallelism.of(4, pool));
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The compiled-model entry: one row of X runs on the weight's row slices (Vector API), laid out once and reused across calls. */
    @Test
    void constantCsrWeightsMatchTheMaskedDenseProductAcrossCalls() {
        var pool = Executors.newFixedThreadPool(3);
        try {
            Random r = new Random(8);
            int[][] shapes = {{16, 32}, {33, 70}, {5, 9}, {64, 1000}, {300, 700}};
            for (int[] shape : shapes) {
                for (double density : new double[] {0, 0.05, 0.1, 0.3, 1}) {
                    Sparse w = Sparse.random(r, shape[0], shape[1], 1, 1, density);
                    CsrWeight laid = CsrWeight.of(w.out, w.in, w.values, w.columns, w.ptr);
                    assertEquals(Kernels.VECTOR && SparseGemmVector.slices(), laid.sliced(), "row slices exactly with the Vector API");
                    for (int call = 0; call < 4; call++) {
                        // call 1: bias, ReLU and residual (per-lane stores); call 3: bias and ReLU (vector stores)
                        boolean epilogue = call == 1 || call == 3;
                        Parallelism par = call == 2 ? Parallelism.of(4, pool) : Parallelism.SERIAL;
                        int xOff = 5, yOff = 3;
                        float[] x = Close.random(r, xOff + w.in);
                        float[] y = new float[yOff + w.out + 4];
                        Arrays.fill(y, GUARD);
                        float[] bias = epilogue ? Close.random(r, w.out) : null;
                        float[] res = call == 1 ? Close.random(r, w.out) : null;
                        Epilogue ep = !epilogue ? Epilogue.NONE
                                : res == null ? Epilogue.of(bias, Activation.RELU) : Epilogue.of(bias, Activation.RELU).withResidual(res, 0, w.out);
                        SparseGemm.csr(1, x, xOff, w.in, laid, y, yOff, w.out, ep, par);
                        String what = "constant csr call " + call + " [" + w.out + ", " + w.in + "] density " + density;
                        assertWithinBound(what, 1, x, xOff, w.in, w, bias, epilogue ? Activation.RELU : Activation.NONE, res, y, yOff, w.out);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Packing keeps every stored entry once, in its row's lane, at its column within the block. */
    @Test
    void rowSlicesHoldEachStoredEntryOnce() {
        Random r = new Random(9);
        Sparse w = Sparse.random(r, 40, 100, 1, 1, 0.3);
        SparseRowSlices s = SparseRowSlices.pack(8, w.out, w.in, w.values, w.columns, w.ptr);
        assertEquals(5, s.slices);
        assertEquals(7, s.blocks);
        double[] rebuilt = new double[40 * 100];
        for (int slice = 0; slice < s.slices; slice++) {
            for (int b = 0; b < s.blocks; b++) {
                for (int e = s.start[slice * s.blocks + b]; e < s.start[slice * s.blocks + b + 1]; e++) {
                    int row = slice * 8 + (e - s.start[slice * s.blocks + b]) % 8, col = b * 16 + (int) s.offsets[e];
                    if (s.values[e] != 0) rebuilt[row * 100 + col] += s.values[e];
                }
            }
        }
        for (int i = 0; i < rebuilt.length; i++) assertEquals(w.dense[i], rebuilt[i], 0.0, "entry " + i);
    }

    @Test
    void vectorAndScalarAgreeOnRandomShapes() {
        qt().withExamples(40).forAll(integers().between(1, 40), integers().between(1, 12), integers().between(1, 12), integers().between(0, 1 << 20))
                .checkAssert((m, outBlocks, inBlocks, seed) -> {
                    Random r = new Random(seed);
                    int br = 1 + seed % 4, bc = 1 << (seed % 5);
                    Sparse w = Sparse.random(r, outBlocks * br, inBlocks * bc, br, bc, r.nextDouble());
                    check(false, r, m, w, seed % 2 == 0, Parallelism.SERIAL);
                    check(true, r, m, w, seed % 2 == 0, Parallelism.SERIAL);
                });
    }

    @Test
    void badStructureIsRejectedBeforeAnyWrite() {
        float[] x = new float[8], y = new float[4];
        float[] v = {1, 2};
        int[] c = {0, 1};
        assertThrows(IllegalArgumentException.class, () -> SparseGemm.csr(1, x, 0, 8, 2, 8, v, c, new int[] {0, 2, 1}, y, 0, 2, Epilogue.NONE, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> SparseGemm.csr(1, x, 0, 8, 2, 8, v, c, new int[] {0, 1, 3}, y, 0, 2, Epilogue.NONE, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> SparseGemm.csr(1, x, 0, 8, 2, 8, v, c, new int[] {0, 1}, y, 0, 2, Epilogue.NONE, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> SparseGemm.bsr(1, x, 0, 8, 3, 8, 2, 2, v, c, new int[] {0, 0}, y, 0, 3, Epilogue.NONE, Parallelism.SERIAL));
        assertEquals(0f, y[0]);
    }
}
