package dev.lathe.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassRegistryTest {
    private final PassRegistry registry = PassRegistry.standard();

    @Test
    void standardHasTheFourCompressionPassesInLanguageOrder() {
        assertEquals(List.of("lowrank", "sparsify", "quantize", "kernelize"), registry.names());
        assertEquals(TargetKind.INSTANCE, registry.lookup("kernelize").orElseThrow().target());
        assertEquals(Set.of("attention"), registry.lookup("kernelize").orElseThrow().instanceKinds());
        assertEquals(TargetKind.PARAM, registry.lookup("quantize").orElseThrow().target());
        assertTrue(registry.lookup("fold").isEmpty());
    }

    @Test
    void argumentsAreDeclaredWithTypesAndDefaults() {
        PassInfo lowrank = registry.lookup("lowrank").orElseThrow();
        assertEquals(List.of("rank", "ratio", "energy", "threshold", "min_saving", "compensate"), lowrank.argNames());
        ArgInfo minSaving = lowrank.arg("min_saving").orElseThrow();
        assertEquals(ArgType.FLOAT, minSaving.type());
        assertEquals(0.1, minSaving.defaultValue());
        assertFalse(lowrank.arg("rank").orElseThrow().hasDefault());
        assertEquals(8L, registry.lookup("quantize").orElseThrow().arg("bits").orElseThrow().defaultValue());
    }

    @Test
    void rangesDescribeAndAdmitTheirBounds() {
        Allowed.Range unit = Allowed.Range.between(0, false, 1, true);
        assertEquals("(0, 1]", unit.describe());
        assertFalse(unit.admits(0.0));
        assertTrue(unit.admits(1.0));
        assertFalse(unit.admits(Double.NaN));
        assertEquals("> 0", Allowed.Range.above(0).describe());
        assertTrue(Allowed.Range.atLeast(1).admits(1L));
        assertFalse(Allowed.Range.atLeast(1).admits(0L));
    }

    @Test
    void nOfMAdmitsOnlyNBelowM() {
        var nm = new Allowed.NOfM();
        assertTrue(nm.admits("2:4"));
        assertTrue(nm.admits("1:8"));
        assertFalse(nm.admits("4:4"));
        assertFalse(nm.admits("0:4"));
        assertFalse(nm.admits("2:4:8"));
        assertFalse(nm.admits(" 2:4"));
        assertEquals(List.of(2L, 4L), java.util.Arrays.stream(Allowed.NOfM.parse("2:4")).boxed().toList());
    }

    @Test
    void aDefaultOutsideItsOwnRangeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ArgInfo("bits", ArgType.INT, Allowed.OneOf.of(8L, 4L), 3L, "bits"));
        assertThrows(IllegalArgumentException.class,
                () -> new ArgInfo("bits", ArgType.INT, Allowed.OneOf.of(8L, 4L), "8", "bits"));
    }

    @Test
    void rulesMustNameDeclaredArgumentsAndUseCanonicalValues() {
        List<ArgInfo> args = List.of(new ArgInfo("bits", ArgType.INT, Allowed.OneOf.of(8L, 4L), 8L, "bits"),
                new ArgInfo("scheme", ArgType.STRING, Allowed.OneOf.of("rtn", "dgq"), "rtn", "scheme"));
        assertThrows(IllegalArgumentException.class, () -> new PassInfo("q", "s", args, TargetKind.PARAM, "",
                List.of(new ArgRule.RequiredWhen(ArgRule.Condition.is("scheme", "dgq"), "group")), Set.of()));
        // 4 (an Integer) would never equal a coerced 4L
        assertThrows(IllegalArgumentException.class, () -> new PassInfo("q", "s", args, TargetKind.PARAM, "",
                List.of(new ArgRule.Implies(ArgRule.Condition.is("scheme", "dgq"), "bits", 4)), Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new PassInfo("k", "s", args, TargetKind.INSTANCE, "", List.of(), Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new PassRegistry(List.of(registry.passes().getFirst(), registry.passes().getFirst())));
    }

    @Test
    void argTypesCoerceOnlyWhatFits() {
        assertEquals(java.util.Optional.of(2.0), ArgType.FLOAT.coerce(2L));
        assertTrue(ArgType.INT.coerce(2.0).isEmpty());
        assertEquals(java.util.Optional.of(3L), ArgType.INT.coerce(3));
        assertEquals(java.util.Optional.of(List.of(4L, 4L)), ArgType.INT_LIST.coerce(List.of(4L, 4)));
        assertTrue(ArgType.BOOL.coerce("true").isEmpty());
        assertTrue(ArgType.STRING.coerce(null).isEmpty());
    }
}
