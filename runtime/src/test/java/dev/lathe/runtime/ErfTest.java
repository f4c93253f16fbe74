package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import org.junit.jupiter.api.Test;

class ErfTest {
    @Test
    void matchesTabulatedValues() {
        // Reference values computed with mpmath at 50 digits and rounded to double.
        assertEquals(0.8427007929497149, Erf.erf(1), 1e-15);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.1124629160182849, Erf.erf(0.1), 1e-15);
        assertEquals(-0.9953222650189527, Erf.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3), 1e-15);
        assertEquals(0.9999999999984626, Erf.erf(5), 1e-15);
        assertEquals(0.0, Erf.erf(0), 0.0);
    }

    @Test
    void isLinearNearZeroAndSaturatesFarAway() {
        // erf(x) = 2x/sqrt(pi) - O(x^3): at 1e-10 the cubic term is 1e-30, far below an ulp.
        assertEquals(2e-10 / Math.sqrt(Math.PI), Erf.erf(1e-10), 1e-25);
        assertEquals(1.0, Erf.erf(6), 0.0);
        assertEquals(-1.0, Erf.erf(-40), 0.0);
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(Double.NaN, Erf.erf(Double.NaN));
    }

    @Test
    void isOddBoundedAndIncreasing() {
        qt().forAll(doubles().between(-7, 7), doubles().between(0, 1e-3)).checkAssert((x, dx) -> {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0);
            assertTrue(Math.abs(Erf.erf(x)) <= 1.0);
            // The derivative 2/sqrt(pi) exp(-x^2) is positive, so erf never decreases (up to rounding).
            assertTrue(Erf.erf(x + dx) >= Erf.erf(x) - 1e-15);
        });
    }
}
