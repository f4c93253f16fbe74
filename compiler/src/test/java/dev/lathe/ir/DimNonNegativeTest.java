package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Dim#isProvablyNonNegative}: sound for named dims of at least 1, the slice typing assumption. */
class DimNonNegativeTest {
    private static final Dim S = Dim.var("S");
    private static final Dim B = Dim.var("B");

    @Test
    void examples() {
        assertTrue(S.minus(Dim.of(1)).isProvablyNonNegative()); // S >= 1
        assertTrue(S.times(B).minus(S).isProvablyNonNegative()); // S * (B - 1)
        assertTrue(S.times(S).minus(S.times(2)).plus(1).isProvablyNonNegative()); // (S - 1)^2 after the shift is S'^2
        assertTrue(S.minus(Dim.of(1)).floorDiv(Dim.of(2)).isProvablyNonNegative());
        assertFalse(Dim.of(1).minus(S).isProvablyNonNegative());
        assertFalse(S.minus(B).isProvablyNonNegative());
        assertFalse(S.minus(Dim.of(2)).isProvablyNonNegative()); // S = 1 gives -1
        assertFalse(Dim.of(-1).isProvablyNonNegative());
        assertTrue(Dim.of(0).isProvablyNonNegative());
    }

    @Test
    void neverClaimsANegativeValue() {
        // d = a*S*B + b*S + c*B + e: whenever it is claimed non-negative, every S, B >= 1 agrees.
        qt().forAll(integers().between(-3, 3), integers().between(-3, 3), integers().between(-3, 3), integers().between(-6, 6))
                .checkAssert((a, b, c, e) -> {
                    Dim d = S.times(B).times(a).plus(S.times(b)).plus(B.times(c)).plus(e);
                    if (!d.isProvablyNonNegative()) return;
                    for (long s = 1; s <= 6; s++) {
                        for (long bb = 1; bb <= 6; bb++) {
                            assertTrue(d.evaluate(Map.of("S", s, "B", bb)) >= 0, d + " at S=" + s + ", B=" + bb);
                        }
                    }
                });
    }
}
