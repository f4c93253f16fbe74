package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.ir.Dim;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signature matching on hand-built ASTs. */
class UnifierTest {
    private static final SourceSpan AT = SourceSpan.UNKNOWN;
    private static final LoadedModule MODULE = new LoadedModule("t", "t.model", null,
            new ModelFile(AT, "t.model", "t", 1, List.of(), List.of()), false);

    private static Expr name(String n) { return new Expr.Name(AT, n); }

    private static Expr lit(long v) { return new Expr.IntLit(AT, v, Long.toString(v)); }

    private static Expr times(Expr a, Expr b) { return new Expr.Binary(AT, Expr.BinaryOp.MUL, a, b); }

    private static Expr plus(Expr a, Expr b) { return new Expr.Binary(AT, Expr.BinaryOp.ADD, a, b); }

    private static TypeRef.Tensor type(String element, Expr... dims) {
        return new TypeRef.Tensor(AT, element, List.of(dims));
    }

    private static Unifier unify(TypeRef.Tensor pattern, TensorType actual) {
        Unifier u = new Unifier("Block", MODULE, Map.of(), true);
        u.unifyInputs(List.of(new Unifier.Actual("argument x", pattern, actual)), AT);
        return u;
    }

    private static String failure(TypeRef.Tensor pattern, TensorType actual) {
        return assertThrows(ElabError.class, () -> unify(pattern, actual)).diagnostic().code();
    }

    @Test
    void affinePatternsAreSolvedForTheirVariable() {
        qt().forAll(longs().between(1, 20), longs().between(0, 50), longs().between(0, 1000)).checkAssert((a, c, v) -> {
            TypeRef.Tensor pattern = type("f32", plus(times(lit(a), name("I")), lit(c)));
            Unifier u = unify(pattern, TensorType.of(DType.F32, a * v + c));
            assertEquals(Map.of("I", Dim.of(v)), u.bindings());
        });
    }

    @Test
    void affinePatternsWithoutIntegerSolutionFail() {
        qt().forAll(longs().between(2, 20), longs().between(0, 50), longs().between(0, 1000)).checkAssert((a, c, v) -> {
            TypeRef.Tensor pattern = type("f32", plus(times(lit(a), name("I")), lit(c)));
            assertEquals("E0304", failure(pattern, TensorType.of(DType.F32, a * v + c + 1)));
        });
    }

    @Test
    void symbolicDimsSolveSymbolically() {
        Dim s = Dim.var("S");
        Unifier u = unify(type("f32", times(lit(2), name("I"))), new TensorType(DType.F32, List.of(s.times(2))));
        assertEquals(Map.of("I", s), u.bindings());
    }

    @Test
    void ellipsisTypeVariablesAndRanks() {
        Unifier u = unify(type("T", new Expr.Ellipsis(AT), name("D")), TensorType.of(DType.BF16, 2, 3, 8));
        assertEquals(Map.of("D", Dim.of(8)), u.bindings());
        assertEquals(DType.BF16, u.typeVariable("T").orElseThrow());
        assertEquals("E0301", failure(type("f32", name("A"), name("B")), TensorType.of(DType.F32, 2, 3, 4)));
        assertEquals("E0301", failure(type("f32", new Expr.Ellipsis(AT), name("A"), name("B")), TensorType.of(DType.F32, 2)));
        assertEquals("E0302", failure(type("f16", name("A")), TensorType.of(DType.F32, 2)));
    }

    @Test
    void aVariableBoundTwiceMustAgree() {
        Unifier u = new Unifier("Block", MODULE, Map.of(), true);
        TypeRef.Tensor square = type("f32", name("N"), name("N"));
        assertEquals("E0301", assertThrows(ElabError.class, () -> u.unifyInputs(List.of(
                new Unifier.Actual("argument x", square, TensorType.of(DType.F32, 3, 4))), AT)).diagnostic().code());
        Unifier ok = unify(square, TensorType.of(DType.F32, 4, 4));
        assertEquals(Map.of("N", Dim.of(4)), ok.bindings());
    }

    @Test
    void attributesAreNotPatternVariables() {
        Unifier u = new Unifier("Block", MODULE, Map.of("out", Val.Int.of(6)), true);
        u.unifyInputs(List.of(new Unifier.Actual("argument x", type("f32", name("out")), TensorType.of(DType.F32, 6))), AT);
        assertEquals(Map.of(), u.bindings());
        assertEquals("E0301", assertThrows(ElabError.class, () -> u.checkResults(List.of(
                new Unifier.Actual("result 0", type("f32", name("out")), TensorType.of(DType.F32, 5))), AT)).diagnostic().code());
    }

    @Test
    void twoUnknownsInOneDimCannotBeInferred() {
        assertEquals("E0304", failure(type("f32", times(name("A"), name("B"))), TensorType.of(DType.F32, 12)));
        assertEquals("E0304", failure(type("f32", times(name("A"), name("A"))), TensorType.of(DType.F32, 16)));
    }
}
