package dev.lathe.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.diag.SourceSpan;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenameRuleTest {
    private static RenameRule rule(String from, String to) throws RenameRule.InvalidRenameException {
        return RenameRule.compile(new WeightsSpec.Rename(from, to, new SourceSpan("m.model", 3, 3, 10)));
    }

    private static String invalid(String from, String to) {
        return assertThrows(RenameRule.InvalidRenameException.class, () -> rule(from, to)).getMessage();
    }

    @Test
    void rewritesAMatchingPrefixAndKeepsTheRest() throws Exception {
        RenameRule r = rule("layers.{i}.", "blk.{i}.");
        assertEquals(Optional.of("blk.0.mlp.fc1.weight"), r.apply("layers.0.mlp.fc1.weight"));
        assertEquals(Optional.of("blk.12.attn.q"), r.apply("layers.12.attn.q"));
    }

    @Test
    void matchesOnlyAtTheStartAndOnlyDecimalIntegers() throws Exception {
        RenameRule r = rule("layers.{i}.", "blk.{i}.");
        assertEquals(Optional.empty(), r.apply("model.layers.0.w"));
        assertEquals(Optional.empty(), r.apply("layers.a.w"));
        assertEquals(Optional.empty(), r.apply("layers..w"));
        assertEquals(Optional.empty(), r.apply("layers.-1.w"));
        assertEquals(Optional.empty(), r.apply("layers.0"));   // the pattern's final "." is missing
    }

    @Test
    void digitsAreSubstitutedVerbatimAndMayMoveOrRepeat() throws Exception {
        assertEquals(Optional.of("blk.007.w"), rule("layers.{i}.", "blk.{i}.").apply("layers.007.w"));
        assertEquals(Optional.of("b.2.a.1.w"), rule("a.{i}.b.{j}.", "b.{j}.a.{i}.").apply("a.1.b.2.w"));
        assertEquals(Optional.of("x3_3.w"), rule("h.{i}.", "x{i}_{i}.").apply("h.3.w"));
    }

    @Test
    void aNameUsedTwiceInThePatternMustMatchTheSameDigits() throws Exception {
        RenameRule r = rule("l{i}.l{i}.", "d{i}.");
        assertEquals(Optional.of("d4.w"), r.apply("l4.l4.w"));
        assertEquals(Optional.empty(), r.apply("l4.l5.w"));
    }

    @Test
    void anEmptyPatternAddsAPrefixToEveryKey() throws Exception {
        assertEquals(Optional.of("model.fc.w"), rule("", "model.").apply("fc.w"));
    }

    @Test
    void patternCharactersAreLiteral() throws Exception {
        RenameRule r = rule("a.b*(c).", "x.");
        assertEquals(Optional.of("x.w"), r.apply("a.b*(c).w"));
        assertEquals(Optional.empty(), r.apply("aXb*(c).w"));
    }

    @Test
    void invalidRulesSayWhy() {
        assertEquals("rename replacement \"blk.{j}.\" uses {j}, which the pattern \"layers.{i}.\" does not define",
                invalid("layers.{i}.", "blk.{j}."));
        assertEquals("rename pattern \"l{i}{j}.\": {i} and {j} must be separated by text", invalid("l{i}{j}.", "x."));
        assertEquals("rename pattern \"layers.{i.\": '{' at offset 7 does not start a {name} placeholder", invalid("layers.{i.", "x."));
        assertEquals("rename replacement \"b.{}.\": '{' at offset 2 does not start a {name} placeholder", invalid("a.", "b.{}."));
        assertEquals("rename pattern \"a.{1}.\": '{' at offset 2 does not start a {name} placeholder", invalid("a.{1}.", "b."));
    }
}
