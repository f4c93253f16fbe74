package dev.lathe.pass.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.interp.LinalgOps;
import dev.lathe.interp.SparseOps;
import dev.lathe.ir.SparseFormat;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pruning and storage guarantees of issue 6, item 3, on random weights. */
class SparsityPropertiesTest {
    /** f32-representable weights, with repeated magnitudes mixed in so that ties occur. */
    static double[] weights(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0.5 : -0.5) : (float) TestGraph.normal(r);
        }
        return w;
    }

    @Test
    void sparsityZeroIsABitwiseIdentity() {
        qt().withFixedSeed(21).withExamples(100).forAll(longs().all(), integers().between(1, 12), integers().between(1, 12)).checkAssert((seed, m, n) -> {
            double[] w = weights(seed, m * n);
            boolean[] mask = Pruning.unstructured(w, 0);
            assertEquals(m * n, Pruning.count(mask));
            assertArrayEquals(w, Pruning.apply(w, mask));
            assertEquals(0, Pruning.prunedMass(w, mask));
        });
    }

    @Test
    void exactlyNMinusFloorSNSurviveAndTheyAreTheLargest() {
        qt().withFixedSeed(22).withExamples(200).forAll(longs().all(), integers().between(1, 12), integers().between(1, 12), doubles().between(0, 0.999))
                .checkAssert((seed, m, n, s) -> {
                    double[] w = weights(seed, m * n);
                    boolean[] mask = Pruning.unstructured(w, s);
                    assertEquals(m * n - (int) Math.floor(s * m * n), Pruning.count(mask));
                    double minKept = Double.POSITIVE_INFINITY, maxPruned = 0;
                    for (int i = 0; i < w.length; i++) {
                        if (mask[i]) minKept = Math.min(minKept, Math.abs(w[i]));
                        else maxPruned = Math.max(maxPruned, Math.abs(w[i]));
                    }
                    assertTrue(Pruning.count(mask) == 0 || minKept >= maxPruned);
                    // ties: among equal magnitudes a kept entry never has a higher index than a pruned one
                    for (int i = 0; i < w.length; i++) {
                        for (int j = i + 1; j < w.length; j++) {
                            if (Math.abs(w[i]) == Math.abs(w[j])) assertTrue(mask[i] || !mask[j], "tie " + i + ", " + j);
                        }
                    }
                });
    }

    @Test
    void everyAlignedGroupOfMHoldsAtMostN() {
        qt().withFixedSeed(23).withExamples(200).forAll(longs().all(), integers().between(1, 6), integers().between(2, 8), integers().between(1, 4))
                .checkAssert((seed, rows, m, groups) -> {
                    int n = 1 + (int) Math.floorMod(seed, m - 1);
                    int cols = m * groups;
                    double[] w = weights(seed, rows * cols);
                    boolean[] mask = Pruning.nOfM(w, rows, cols, n, m);
                    double[] pruned = Pruning.apply(w, mask);
                    for (int g = 0; g < pruned.length; g += m) {
                        int nonZero = 0, kept = 0;
                        for (int j = 0; j < m; j++) {
                            nonZero += pruned[g + j] != 0 ? 1 : 0;
                            kept += mask[g + j] ? 1 : 0;
                        }
                        assertTrue(nonZero <= n);
                        assertEquals(n, kept);
                    }
                });
    }

    /** A random format for a rows x cols weight: CSR, N:M or BSR as the selector says, when it fits. */
    record Case(SparseFormat format, double[] w, boolean[] mask) {}

    static Case randomCase(long seed, int rowsUnit, int colsUnit, int selector, double s) {
        SplittableRandom r = new SplittableRandom(seed);
        return switch (selector) {
            case 0 -> {
                int rows = rowsUnit, cols = colsUnit;
                double[] w = weights(seed, rows * cols);
                yield new Case(SparseFormat.csr(rows, cols), w, Pruning.unstructured(w, s));
            }
            case 1 -> {
                int m = 2 + r.nextInt(4), n = 1 + r.nextInt(m - 1);
                int rows = rowsUnit, cols = colsUnit * m;
                double[] w = weights(seed, rows * cols);
                yield new Case(SparseFormat.nm(rows, cols, n, m), w, Pruning.nOfM(w, rows, cols, n, m));
            }
            default -> {
                int br = 1 + r.nextInt(3), bc = 1 + r.nextInt(3);
                int rows = rowsUnit * br, cols = colsUnit * bc;
                double[] w = weights(seed, rows * cols);
                yield new Case(SparseFormat.bsr(rows, cols, br, bc), w, Pruning.blocks(w, rows, cols, br, bc, s));
            }
        };
    }

    @Test
    void denseToSparseToDenseIsBitwise() {
        qt().withFixedSeed(24).withExamples(200)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 6), doubles().between(0, 0.999))
                .checkAssert((seed, ru, cu, s) -> {
                    Case c = randomCase(seed, ru, cu, (int) Math.floorMod(seed, 3), s);
                    SparseStorage st = SparseStorage.of(c.format(), DType.F32, c.w(), c.mask());
                    Tensor dense = SparseOps.toDense(c.format(), st.values(), st.indices(), st.pointers());
                    assertArrayEquals(Pruning.apply(c.w(), c.mask()), dense.toDoubleArray());
                });
    }

    @Test
    void csrStructureIsValid() {
        qt().withFixedSeed(25).withExamples(200).forAll(longs().all(), integers().between(1, 10), integers().between(1, 10), doubles().between(0, 0.999))
                .checkAssert((seed, rows, cols, s) -> {
                    double[] w = weights(seed, rows * cols);
                    SparseStorage st = SparseStorage.of(SparseFormat.csr(rows, cols), DType.F32, w, Pruning.unstructured(w, s));
                    long[] ptr = st.pointers().toLongArray();
                    long[] col = st.indices().toLongArray();
                    assertEquals(rows + 1, ptr.length);
                    assertEquals(0, ptr[0]);
                    assertEquals(col.length, ptr[rows]);
                    for (int r = 0; r < rows; r++) {
                        assertTrue(ptr[r] <= ptr[r + 1], "row pointers monotone");
                        for (long e = ptr[r]; e < ptr[r + 1]; e++) {
                            assertTrue(col[(int) e] >= 0 && col[(int) e] < cols, "column in range");
                            if (e > ptr[r]) assertTrue(col[(int) e - 1] < col[(int) e], "columns sorted");
                        }
                    }
                });
    }

    @Test
    void spmmEqualsTheMaskedDenseProductWithinTheSummationBound() {
        qt().withFixedSeed(26).withExamples(150)
                .forAll(longs().all(), integers().between(1, 5), integers().between(1, 5), doubles().between(0, 0.999))
                .checkAssert((seed, ru, cu, s) -> {
                    Case c = randomCase(seed, ru, cu, (int) Math.floorMod(seed, 3), s);
                    int rows = (int) c.format().rows(), cols = (int) c.format().cols();
                    SparseStorage st = SparseStorage.of(c.format(), DType.F64, c.w(), c.mask());
                    Tensor x = TestGraph.gaussian(DType.F64, seed + 1, 3, cols);
                    Tensor bias = TestGraph.gaussian(DType.F64, seed + 2, rows);
                    double[] masked = Pruning.apply(c.w(), c.mask());
                    double[] want = LinalgOps.linear(x, Tensor.ofDoubles(new long[] {rows, cols}, masked), bias).toDoubleArray();
                    double[] got = SparseOps.spmm(x, c.format(), st.values(), st.indices(), st.pointers(), bias).toDoubleArray();
                    // |fl(sum) - sum| <= gamma_n sum |terms| with gamma_n = n u / (1 - n u), n = cols + 1 terms each
                    double u = Math.ulp(1.0) / 2;
                    double gamma = (cols + 1) * u / (1 - (cols + 1) * u);
                    double[] xs = x.toDoubleArray();
                    for (int t = 0; t < 3; t++) {
                        for (int o = 0; o < rows; o++) {
                            double abs = Math.abs(bias.getDouble(o));
                            for (int i = 0; i < cols; i++) abs += Math.abs(xs[t * cols + i] * masked[o * cols + i]);
                            assertEquals(want[t * rows + o], got[t * rows + o], 2 * gamma * abs);
                        }
                    }
                });
    }

    @Test
    void theCertificateIsThePrunedFrobeniusMass() {
        qt().withFixedSeed(27).withExamples(150)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 6), doubles().between(0, 0.999))
                .checkAssert((seed, ru, cu, s) -> {
                    Case c = randomCase(seed, ru, cu, (int) Math.floorMod(seed, 3), s);
                    double[] pruned = Pruning.apply(c.w(), c.mask());
                    double e = 0;
                    for (int i = 0; i < pruned.length; i++) e += (c.w()[i] - pruned[i]) * (c.w()[i] - pruned[i]);
                    assertEquals(Math.sqrt(e), Pruning.prunedMass(c.w(), c.mask()), 1e-12 * (1 + Math.sqrt(e)));
                });
    }

    @Test
    void errorIsMonotoneInSparsity() {
        qt().withFixedSeed(28).withExamples(150)
                .forAll(longs().all(), integers().between(1, 8), doubles().between(0, 0.999), doubles().between(0, 0.999))
                .checkAssert((seed, k, s1, s2) -> {
                    int blocks = (int) Math.floorMod(seed, 2);
                    double lo = Math.min(s1, s2), hi = Math.max(s1, s2);
                    int rows = 2 * k, cols = 6;
                    double[] w = weights(seed, rows * cols);
                    boolean[] a = blocks == 0 ? Pruning.unstructured(w, lo) : Pruning.blocks(w, rows, cols, 2, 3, lo);
                    boolean[] b = blocks == 0 ? Pruning.unstructured(w, hi) : Pruning.blocks(w, rows, cols, 2, 3, hi);
                    assertTrue(Pruning.prunedMass(w, a) <= Pruning.prunedMass(w, b));
                    for (int i = 0; i < w.length; i++) assertTrue(a[i] || !b[i], "a higher sparsity keeps a subset");
                });
    }
}
