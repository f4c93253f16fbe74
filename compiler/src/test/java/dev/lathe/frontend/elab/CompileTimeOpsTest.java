package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Expr.BinaryOp;
import dev.lathe.frontend.ast.Expr.UnaryOp;
import dev.lathe.ir.Dim;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompileTimeOpsTest {
    private static final SourceSpan AT = new SourceSpan("t.model", 3, 5, 1);
    private static final Dim S = Dim.var("S");

    private static Val bin(BinaryOp op, Val l, Val r) {
        return CompileTimeOps.binary(op, l, r, AT);
    }

    private static String code(Runnable r) {
        return assertThrows(ElabError.class, r::run).diagnostic().code();
    }

    @Test
    void integerArithmeticOnConstants() {
        assertEquals(Val.Int.of(11), bin(BinaryOp.ADD, Val.Int.of(4), Val.Int.of(7)));
        assertEquals(Val.Int.of(-3), bin(BinaryOp.SUB, Val.Int.of(4), Val.Int.of(7)));
        assertEquals(Val.Int.of(28), bin(BinaryOp.MUL, Val.Int.of(4), Val.Int.of(7)));
        assertEquals(Val.Int.of(4), bin(BinaryOp.DIV, Val.Int.of(28), Val.Int.of(7)));
        assertEquals(Val.Int.of(1), bin(BinaryOp.MOD, Val.Int.of(22), Val.Int.of(7)));
    }

    @Test
    void divisionIsExact() {
        assertEquals("E0305", code(() -> bin(BinaryOp.DIV, Val.Int.of(10), Val.Int.of(4))));
        assertEquals("E0308", code(() -> bin(BinaryOp.DIV, Val.Int.of(10), Val.Int.of(0))));
        assertEquals("E0308", code(() -> bin(BinaryOp.MOD, Val.Int.of(10), Val.Int.of(0))));
        assertEquals("E0308", code(() -> bin(BinaryOp.DIV, new Val.Float(1), Val.Int.of(0))));
    }

    @Test
    void symbolicIntsStaySymbolic() {
        assertEquals(new Val.Int(S.times(2)), bin(BinaryOp.ADD, new Val.Int(S), new Val.Int(S)));
        assertEquals(new Val.Int(S), bin(BinaryOp.DIV, new Val.Int(S.times(4)), Val.Int.of(4)));
        // S / 2 cannot be simplified: it stays an exact division, checked when S is known.
        assertEquals(new Val.Int(S.divExact(Dim.of(2)).orElseThrow()), bin(BinaryOp.DIV, new Val.Int(S), Val.Int.of(2)));
        assertEquals(Val.Int.of(0), bin(BinaryOp.MOD, new Val.Int(S.times(6)), Val.Int.of(3)));
        assertEquals("E0308", code(() -> bin(BinaryOp.MOD, new Val.Int(S), Val.Int.of(3))));
    }

    @Test
    void comparisonsOfSymbolicIntsNeedAConstantDifference() {
        assertEquals(new Val.Bool(true), bin(BinaryOp.GT, new Val.Int(S.plus(1)), new Val.Int(S)));
        assertEquals(new Val.Bool(true), bin(BinaryOp.EQ, new Val.Int(S.times(2)), new Val.Int(S.plus(S))));
        assertEquals("E0308", code(() -> bin(BinaryOp.EQ, new Val.Int(S), Val.Int.of(4))));
    }

    @Test
    void mixedIntAndFloatGiveFloat() {
        assertEquals(new Val.Float(2.5), bin(BinaryOp.MUL, Val.Int.of(5), new Val.Float(0.5)));
        assertEquals(new Val.Float(0.25), bin(BinaryOp.DIV, Val.Int.of(1), new Val.Float(4)));
        assertEquals(new Val.Bool(true), bin(BinaryOp.EQ, Val.Int.of(2), new Val.Float(2.0)));
        assertEquals("E0308", code(() -> bin(BinaryOp.MUL, new Val.Int(S), new Val.Float(0.5))));
    }

    @Test
    void wrongKindsAreE0308() {
        assertEquals("E0308", code(() -> bin(BinaryOp.MUL, new Val.Str("abc"), Val.Int.of(2))));
        assertEquals("E0308", code(() -> bin(BinaryOp.AND, new Val.Bool(true), Val.Int.of(1))));
        assertEquals("E0308", code(() -> bin(BinaryOp.LT, new Val.Str("a"), new Val.Str("b"))));
        assertEquals("E0308", code(() -> bin(BinaryOp.MATMUL, Val.Int.of(1), Val.Int.of(2))));
        assertEquals("E0308", code(() -> CompileTimeOps.unary(UnaryOp.NOT, Val.Int.of(1), AT)));
        assertEquals("E0308", code(() -> bin(BinaryOp.ADD, Val.Int.of(Long.MAX_VALUE), Val.Int.of(1))));
    }

    @Test
    void equalityOfStringsBoolsAndLists() {
        assertEquals(new Val.Bool(true), bin(BinaryOp.EQ, new Val.Str("gelu"), new Val.Str("gelu")));
        assertEquals(new Val.Bool(true), bin(BinaryOp.NE, new Val.Bool(true), new Val.Bool(false)));
        assertEquals(new Val.Bool(true), bin(BinaryOp.EQ, new Val.ListV(List.of(Val.Int.of(1), Val.Int.of(2))),
                new Val.ListV(List.of(Val.Int.of(1), new Val.Float(2)))));
        assertEquals(new Val.Bool(false), bin(BinaryOp.EQ, new Val.ListV(List.of(Val.Int.of(1))), new Val.ListV(List.of())));
    }

    @Test
    void constantIntArithmeticAgreesWithJava() {
        qt().forAll(longs().between(-10_000, 10_000), longs().between(-10_000, 10_000)).checkAssert((a, b) -> {
            assertEquals(Val.Int.of(a + b), bin(BinaryOp.ADD, Val.Int.of(a), Val.Int.of(b)));
            assertEquals(Val.Int.of(a * b), bin(BinaryOp.MUL, Val.Int.of(a), Val.Int.of(b)));
            assertEquals(new Val.Bool(a < b), bin(BinaryOp.LT, Val.Int.of(a), Val.Int.of(b)));
            if (b != 0) assertEquals(Val.Int.of(a % b), bin(BinaryOp.MOD, Val.Int.of(a), Val.Int.of(b)));
            if (b != 0 && a % b == 0) assertEquals(Val.Int.of(a / b), bin(BinaryOp.DIV, Val.Int.of(a), Val.Int.of(b)));
        });
    }
}
