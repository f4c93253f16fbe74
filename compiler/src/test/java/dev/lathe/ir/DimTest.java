package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DimTest {
    private static final Dim B = Dim.var("B");
    private static final Dim S = Dim.var("S");

    @Test
    void canonicalFormMakesSpellingsEqual() {
        assertEquals(S.times(2), S.plus(S));
        assertEquals(B.times(S), S.times(B));
        assertEquals(Dim.of(0), S.minus(S));
        assertEquals("2 * S", S.plus(S).toString());
        assertEquals("B * S - 1", B.times(S).plus(-1).toString());
        assertEquals("S + 1", Dim.of(1).plus(S).toString());
    }

    @Test
    void exactDivisionSimplifiesOrStaysOpaque() {
        assertEquals(S, S.times(4).divExact(Dim.of(4)).orElseThrow());
        assertEquals(Dim.of(64), Dim.of(256).divExact(Dim.of(4)).orElseThrow());
        assertTrue(Dim.of(10).divExact(Dim.of(4)).isEmpty());
        Dim half = S.divExact(Dim.of(2)).orElseThrow();
        assertEquals("S / 2", half.toString());
        assertEquals(6, half.evaluate(Map.of("S", 12L)));
        assertThrows(ArithmeticException.class, () -> half.evaluate(Map.of("S", 7L)));
        assertEquals(S, half.times(2));
    }

    @Test
    void floorDivisionFoldsConstants() {
        assertEquals(Dim.of(3), Dim.of(7).floorDiv(Dim.of(2)));
        Dim conv = S.minus(Dim.of(3)).floorDiv(Dim.of(2)).plus(1);
        assertEquals(3, conv.evaluate(Map.of("S", 8L)));
        assertEquals(Dim.of(3), conv.substitute(Map.of("S", Dim.of(8))));
        assertFalse(conv.isConstant());
    }

    @Test
    void evaluationAgreesWithIntegerArithmetic() {
        qt().forAll(integers().between(-1000, 1000), integers().between(-1000, 1000), integers().between(-50, 50))
            .checkAssert((b, s, c) -> {
                Dim d = B.times(S).plus(S.times(c)).minus(B).plus(c);
                long expected = (long) b * s + (long) s * c - b + c;
                assertEquals(expected, d.evaluate(Map.of("B", (long) b, "S", (long) s)));
                assertEquals(Dim.of(expected), d.substitute(Map.of("B", Dim.of(b), "S", Dim.of(s))));
            });
    }
}
