package dev.lathe.pass;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

class GlobTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "blk.*.mlp.fc1.weight, blk.0.mlp.fc1.weight, true",
            "blk.*.mlp.fc1.weight, blk.12.mlp.fc1.weight, true",
            // * stays inside one segment
            "blk.*.mlp.fc1.weight, blk.0.x.mlp.fc1.weight, false",
            "blk.*.weight, blk.0.mlp.weight, false",
            "**.weight, blk.0.mlp.fc1.weight, true",
            // ** may match zero segments
            "**.weight, weight, true",
            "**.weight, blk.0.mlp.fc1.bias, false",
            "**.weight, blk.0.weightx, false",
            "blk.**, blk, true",
            "blk.**, blk.0.mlp, true",
            "blk.**, blkx.0, false",
            "blk.**.fc1.weight, blk.fc1.weight, true",
            "blk.**.fc1.weight, blk.0.mlp.fc1.weight, true",
            "blk.**.fc1.weight, blk.0.mlp.fc2.weight, false",
            "**.mlp.**, blk.1.mlp.fc2.bias, true",
            "**.mlp.**, blk.1.attn.fc2.bias, false",
            // * inside a segment, other characters literal
            "blk.0.mlp.fc*.weight, blk.0.mlp.fc1.weight, true",
            "blk.0.mlp.fc*.weight, blk.0.mlp.fc.weight, true",
            "blk.0.mlp.fc*.weight, blk.0.mlp.proj.weight, false",
            "*_proj.weight, q_proj.weight, true",
            "*_proj.weight, q_proj.bias, false",
            "a*b*c, abc, true",
            "a*b*c, aXbYbZc, true",
            "a*b*c, aXbYcZ, false",
            // ** not alone in a segment is just *
            "a**b.w, aXXb.w, true",
            "a**b.w, aX.Yb.w, false",
            // a literal selector names exactly one path
            "blk.0.a, blk.0.a, true",
            "blk.0.a, blk.0.ab, false",
            "blk.0, blk.0.a, false",
            "*, weight, true",
            "*, blk.weight, false",
    })
    void matchesByHand(String selector, String path, boolean expected) {
        assertTrue(Glob.of(selector).matches(path) == expected, selector + " vs " + path);
    }

    @Test
    void literalSelectorsAreRecognised() {
        assertTrue(Glob.of("blk.0.mlp.fc1.weight").isLiteral());
        assertFalse(Glob.of("blk.*.weight").isLiteral());
    }

    @Test
    void manyDoubleStarsStayFast() {
        // Exponential backtracking would take ages here; the table makes it O(segments * parts).
        String selector = "**.".repeat(40) + "z";
        String path = "a.".repeat(60) + "b";
        assertFalse(Glob.of(selector).matches(path));
        assertTrue(Glob.of(selector).matches(path + ".z"));
    }

    private static Gen<String> segments() {
        return strings().betweenCodePoints('a', 'e').ofLengthBetween(1, 4);
    }

    private static Gen<String> paths() {
        return lists().of(segments()).ofSizeBetween(1, 6).map(l -> String.join(".", l));
    }

    @Test
    void aLiteralPathMatchesItself() {
        qt().forAll(paths()).checkAssert(p -> assertTrue(Glob.of(p).matches(p), p));
    }

    @Test
    void doubleStarMatchesEverything() {
        qt().forAll(paths()).checkAssert(p -> assertTrue(Glob.of("**").matches(p), p));
    }

    @Test
    void starInEverySegmentMatchesExactlyThePathsWithThatManySegments() {
        qt().forAll(paths(), integers().between(1, 6)).checkAssert((p, n) -> {
            String selector = String.join(".", java.util.Collections.nCopies(n, "*"));
            boolean sameCount = p.split("\\.").length == n;
            assertTrue(Glob.of(selector).matches(p) == sameCount, selector + " vs " + p);
        });
    }

    @Test
    void replacingOneSegmentByStarOrAPrefixByDoubleStarStillMatches() {
        qt().forAll(paths(), integers().between(0, 5)).checkAssert((p, k) -> {
            List<String> parts = List.of(p.split("\\."));
            int i = k % parts.size();
            List<String> starred = new java.util.ArrayList<>(parts);
            starred.set(i, "*");
            assertTrue(Glob.of(String.join(".", starred)).matches(p));
            String tail = String.join(".", parts.subList(i, parts.size()));
            assertTrue(Glob.of("**." + tail).matches(p));
        });
    }

    @Test
    void aLiteralSelectorRejectsAnyOtherPath() {
        qt().forAll(paths(), paths()).checkAssert((a, b) -> assertTrue(Glob.of(a).matches(b) == a.equals(b), a + " vs " + b));
    }
}
