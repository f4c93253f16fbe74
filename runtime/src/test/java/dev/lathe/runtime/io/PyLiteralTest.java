package dev.lathe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PyLiteralTest {
    private static PyLiteral.Tuple tuple(long... items) {
        return new PyLiteral.Tuple(java.util.Arrays.stream(items).mapToObj(BigInteger::valueOf).map(Object.class::cast).toList());
    }

    @Test
    void tuplesFollowPythonsCommaRule() throws PyLiteral.SyntaxException {
        assertEquals(tuple(), PyLiteral.parse("()"));
        assertEquals(tuple(3), PyLiteral.parse("(3,)"));
        assertEquals(BigInteger.valueOf(3), PyLiteral.parse("(3)"), "parentheses alone do not make a tuple");
        assertEquals(tuple(2, 3), PyLiteral.parse("( 2 ,3 , )"));
        assertEquals(tuple(2, 3), PyLiteral.parse("(2, 3)"));
        assertEquals("(3,)", tuple(3).toString());
    }

    @Test
    void readsTheNumpyHeaderShape() throws PyLiteral.SyntaxException {
        Object v = PyLiteral.parse("{'descr': '<f4', \"fortran_order\": False, 'shape': (2, 3), 'n': None, 'l': [1, -2], 'e': 'a\\'\\x41\\u00e9'}   \n");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("descr", "fortran_order", "shape", "n", "l", "e"), List.copyOf(m.keySet()));
        assertEquals("<f4", m.get("descr"));
        assertEquals(Boolean.FALSE, m.get("fortran_order"));
        assertEquals(tuple(2, 3), m.get("shape"));
        assertSame(PyLiteral.NONE, m.get("n"));
        assertEquals(List.of(BigInteger.ONE, BigInteger.valueOf(-2)), m.get("l"));
        assertEquals("a'Aé", m.get("e"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{'a' 1}", "{'a': 1,, }", "(,)", "(1,,)", "[1", "'abc", "01", "1.5", "2j", "__import__('os')", "{'a': 1} {}",
            "{'a': 1, 'a': 2}", "{(1,): 2}", "'\\q'", "true", "-", "'a\nb'"})
    void rejectsAnythingButPlainLiterals(String text) {
        assertThrows(PyLiteral.SyntaxException.class, () -> PyLiteral.parse(text));
    }

    @Test
    void boundsNesting() throws PyLiteral.SyntaxException {
        PyLiteral.parse("(".repeat(PyLiteral.MAX_DEPTH) + ")".repeat(PyLiteral.MAX_DEPTH));
        String deep = "(".repeat(PyLiteral.MAX_DEPTH + 1) + ")".repeat(PyLiteral.MAX_DEPTH + 1);
        assertThrows(PyLiteral.SyntaxException.class, () -> PyLiteral.parse(deep));
    }
}
