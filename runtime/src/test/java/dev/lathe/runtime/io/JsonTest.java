package dev.lathe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void readsEveryKindOfValue() throws Json.SyntaxException {
        Object v = Json.parse(" {\"a\": [1, -0, 2.5e-3, true, false, null, \"x\"], \"b\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(new Json.Num("1"), a.get(0));
        assertEquals(new Json.Num("-0"), a.get(1));
        assertEquals(new Json.Num("2.5e-3"), a.get(2));
        assertEquals(List.of(Boolean.TRUE, Boolean.FALSE), a.subList(3, 5));
        assertSame(Json.NULL, a.get(5));
        assertEquals("x", a.get(6));
        assertEquals(Map.of(), m.get("b"));
        assertTrue(new Json.Num("12").isInteger());
        assertTrue(!new Json.Num("1.0").isInteger() && !new Json.Num("1E2").isInteger());
    }

    @Test
    void decodesEscapes() throws Json.SyntaxException {
        assertEquals("\"\\/\b\f\n\r\té😀", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void keepsKeyOrder() throws Json.SyntaxException {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(m.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "\"\u0001\"", "\"\\x\"",
            "\"\\ud800\"", "\"\\ude00\"", "\"\\u12\"", "\"abc", "tru", "nul", "{} {}", "{\"a\":1 \"b\":2}", "NaN", "[Infinity]"})
    void rejectsMalformedText(String text) {
        assertThrows(Json.SyntaxException.class, () -> Json.parse(text));
    }

    @Test
    void rejectsDuplicateKeysWithTheirName() {
        Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"k\":1,\"k\":2}"));
        assertTrue(e.getMessage().contains("duplicate key \"k\""), e.getMessage());
    }

    @Test
    void boundsNesting() throws Json.SyntaxException {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(Json.SyntaxException.class, () -> Json.parse(deep));
    }

    @Test
    void quoteRoundTrips() throws Json.SyntaxException {
        String s = "a\"b\\c\n\u0000\u001fé😀/";
        assertEquals("\"a\\\"b\\\\c\\n\\u0000\\u001fé😀/\"", Json.quote(s));
        assertEquals(s, Json.parse(Json.quote(s)));
        assertThrows(IllegalArgumentException.class, () -> Json.quote("\ud800x"));
    }
}
