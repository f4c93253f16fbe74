package dev.lathe.pass.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rank rule against values worked out by hand. */
class RankChoiceTest {
    // sigma^2 = 9, 4, 1: cumulative 9, 13, 14 of 14.
    private static final double[] SIGMA = {3, 2, 1};

    @Test
    void energyKeepsTheSmallestPrefixWithEnoughEnergy() {
        assertEquals(1, RankChoice.energy(0.5, SIGMA));    // 9 >= 7
        assertEquals(1, RankChoice.energy(9.0 / 14 - 1e-9, SIGMA));
        assertEquals(2, RankChoice.energy(0.9, SIGMA));    // 9 < 12.6 <= 13
        assertEquals(3, RankChoice.energy(0.95, SIGMA));   // 13 < 13.3
        assertEquals(3, RankChoice.energy(1.0, SIGMA));
    }

    @Test
    void energyOfAZeroMatrixIsRankOne() {
        assertEquals(1, RankChoice.energy(0.99, new double[] {0, 0, 0}));
    }

    @Test
    void ratioRoundsTheDecimalUp() {
        assertEquals(3, RankChoice.ratio(0.1, 30));    // 0.1 * 30 is 3.0000000000000004 in binary
        assertEquals(3, RankChoice.ratio(0.25, 10));   // 2.5
        assertEquals(7, RankChoice.ratio(1.0, 7));
        assertEquals(1, RankChoice.ratio(0.01, 5));    // 0.05, at least one
    }

    @Test
    void thresholdDropsMinMaxNormalizedValuesBelowIt() {
        // (sigma - 1) / 9 = 1, 0.556, 0.111, 0
        double[] sigma = {10, 6, 2, 1};
        assertEquals(1, RankChoice.threshold(0.6, sigma));
        assertEquals(2, RankChoice.threshold(0.5, sigma));
        assertEquals(2, RankChoice.threshold(0.2, sigma));
        assertEquals(3, RankChoice.threshold(0.1, sigma));
        assertEquals(4, RankChoice.threshold(0.0, sigma));
    }

    @Test
    void aConstantSpectrumKeepsEverything() {
        assertEquals(3, RankChoice.threshold(0.5, new double[] {2, 2, 2}));
        assertEquals(3, RankChoice.threshold(0.5, new double[] {1, 1 - 1e-12, 1 - 2e-12}));
        assertEquals(2, RankChoice.threshold(0.9, new double[] {0, 0}));
    }

    @Test
    void rankIsClampedToTheLargestRank() {
        assertEquals(3, RankChoice.fixed(5, 3));
        assertEquals(2, RankChoice.fixed(2, 3));
        assertEquals(2, RankChoice.choose(Map.of("rank", 2L, "min_saving", 0.1), SIGMA));
        assertEquals(2, RankChoice.choose(Map.of("energy", 0.9), SIGMA));
        assertThrows(IllegalArgumentException.class, () -> RankChoice.choose(Map.of("min_saving", 0.1), SIGMA));
    }
}
