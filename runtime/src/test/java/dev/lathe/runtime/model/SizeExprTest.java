package dev.lathe.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SizeExprTest {
    private static long eval(String text, Map<String, Long> env) {
        return SizeExpr.parse(text).evaluate(env);
    }

    @Test
    void evaluatesTheCompilersPrintedSizes() {
        Map<String, Long> env = Map.of("B", 3L, "S", 7L);
        assertEquals(256, eval("256", env));
        assertEquals(3, eval("B", env));
        assertEquals(14, eval("2 * S", env));
        assertEquals(20, eval("B * S - 1", env));
        assertEquals(4, eval("(S + 1) / 2", env));
        assertEquals(3, eval("S // 2", env));
        assertEquals(-14 + 5, eval("-2 * S + 5", env));
        assertEquals(3 * 4, eval("B * ((S + 1) / 2)", env));
        assertEquals(-3, eval("-B", env));
    }

    @Test
    void knowsItsNamesAndForm() {
        assertEquals(Set.of("B", "S"), SizeExpr.parse("B * S + 2").variables());
        assertTrue(SizeExpr.parse("B").isVariable());
        assertFalse(SizeExpr.parse("2 * B").isVariable());
        assertTrue(SizeExpr.parse("12").isConstant());
    }

    @Test
    void exactDivisionThatDoesNotDivideAndMissingNamesFail() {
        assertThrows(ArithmeticException.class, () -> eval("S / 2", Map.of("S", 7L)));
        assertThrows(IllegalArgumentException.class, () -> eval("S", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SizeExpr.parse("2 *"));
        assertThrows(IllegalArgumentException.class, () -> SizeExpr.parse("(B"));
    }
}
