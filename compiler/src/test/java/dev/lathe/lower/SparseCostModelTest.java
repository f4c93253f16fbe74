package dev.lathe.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lathe.ir.SparseFormat;
import org.junit.jupiter.api.Test;

/** The cost model's choice against its own estimates, checked row count by row count. */
class SparseCostModelTest {
    @Test
    void sparseIsChosenOnlyWhereItIsEstimatedFaster() {
        qt().withFixedSeed(61).withExamples(300)
                .forAll(integers().between(1, 64), integers().between(1, 64), doubles().between(0, 1), integers().between(0, 40 * 61 - 1))
                .checkAssert((outBlocks, inBlocks, density, rowsSeed) -> {
                    int lo = 1 + rowsSeed % 40, span = rowsSeed / 40;
                    boolean block = outBlocks % 2 == 0;
                    SparseFormat f = block ? SparseFormat.bsr(outBlocks * 16L, inBlocks * 16L, 4, 4) : SparseFormat.csr(outBlocks * 16L, inBlocks * 16L);
                    long stored = (long) (density * f.rows() * f.cols());
                    long hi = lo + span;
                    SparseCostModel.Choice c = SparseCostModel.choose(f, stored, lo, hi);
                    long sparseUpTo = switch (c.kind()) {
                        case SPARSE -> hi;
                        case DENSE -> lo - 1;
                        case BY_ROWS -> c.denseFromRows() - 1;
                    };
                    for (long m = lo; m <= hi; m++) {
                        double s = SparseCostModel.sparseNs(f, stored, m), d = SparseCostModel.denseNs(f.rows(), f.cols(), m);
                        // Sparse where chosen is within the margin of dense; the switch happens exactly where it stops being so.
                        if (m <= sparseUpTo) assertTrue(s <= SparseCostModel.MARGIN * d, c + " at " + m);
                        else if (m == sparseUpTo + 1) assertTrue(s > SparseCostModel.MARGIN * d, c + " at " + m);
                    }
                    if (c.kind() == SparseCostModel.Kind.BY_ROWS) assertTrue(c.denseFromRows() > lo && c.denseFromRows() <= hi, c.toString());
                });
    }

    @Test
    void theCalibrationPointsComeOutAsMeasured() {
        SparseFormat csr = SparseFormat.csr(1024, 1024);
        // SparseBench: CSR 90% at 1 row 3.26x faster than the dense GEMV (58.7 us): sparse at 1 row, dense from 2.
        assertEquals(58.7, SparseCostModel.denseNs(1024, 1024, 1) / 1e3, 0.1);
        assertEquals(17.8, SparseCostModel.sparseNs(csr, 1024 * 1024 / 10, 1) / 1e3, 0.1);
        assertEquals(SparseCostModel.Kind.SPARSE, SparseCostModel.choose(csr, 1024 * 1024 / 10, 1, 1L).kind());
        assertEquals(SparseCostModel.Kind.BY_ROWS, SparseCostModel.choose(csr, 1024 * 1024 / 10, 1, null).kind());
        // CSR 60% (measured between 70%'s 1.63x and 50%'s 1.12x), estimated at 90%'s rate per stored value (71.3 us): kept dense.
        assertEquals(71.3, SparseCostModel.sparseNs(csr, 1024 * 1024 * 4 / 10, 1) / 1e3, 0.1);
        assertEquals(SparseCostModel.Kind.DENSE, SparseCostModel.choose(csr, 1024 * 1024 * 4 / 10, 1, 1L).kind());
        // BSR 4x4 80% measured 2.10x: sparse at 1 row (27.3 us).
        SparseFormat bsr = SparseFormat.bsr(1024, 1024, 4, 4);
        assertEquals(27.3, SparseCostModel.sparseNs(bsr, 1024 * 1024 / 5, 1) / 1e3, 0.1);
        assertEquals(SparseCostModel.Kind.SPARSE, SparseCostModel.choose(bsr, 1024 * 1024 / 5, 1, 1L).kind());
        // 95%: sparse at 1 row (8.9 us), dense from 2 rows (173 us per 16 rows).
        long stored = 1024 * 1024 / 20;
        assertEquals(SparseCostModel.Kind.SPARSE, SparseCostModel.choose(csr, stored, 1, 1L).kind());
        assertEquals(SparseCostModel.Kind.DENSE, SparseCostModel.choose(csr, stored, 4, 4L).kind());
        SparseCostModel.Choice unbounded = SparseCostModel.choose(csr, stored, 1, null);
        assertEquals(SparseCostModel.Kind.BY_ROWS, unbounded.kind());
        assertEquals(2, unbounded.denseFromRows());
        assertTrue(SparseCostModel.choose(csr, stored, 4, 4L).reason().startsWith("kept dense: at 4 rows sparse costs 2.25x dense (173.0 vs 76.8 us estimated)"),
                SparseCostModel.choose(csr, stored, 4, 4L).reason());
    }
}
