package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.S;
import static dev.lathe.ir.IrFixtures.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lathe.diag.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SliceTypingTest {
    private static final long END = Long.MAX_VALUE;

    private static Dim len(Dim n, long start, long end, long step) throws OpTypeException {
        return OpTyping.slice(f32(B, n), 1, Dim.of(start), Dim.of(end), step).dim(1);
    }

    /**
     * The ONNX Slice spec read literally, as an index walk: negative bounds add the dim; for a
     * positive step start and end clamp to [0, n], for a negative one start to [0, n - 1] and end
     * to [-1, n - 1]; then count the indices from start towards end.
     */
    private static long oracle(long n, long start, long end, long step) {
        if (start < 0) start += n;
        if (end < 0) end += n;
        if (step > 0) {
            start = Math.clamp(start, 0, n);
            end = Math.clamp(end, 0, n);
        } else {
            start = Math.clamp(start, 0, Math.max(n - 1, 0));
            end = Math.clamp(end, -1, n - 1);
        }
        long count = 0;
        for (long i = start; step > 0 ? i < end : i > end; i += step) {
            if (i >= 0 && i < n) count++;
        }
        return count;
    }

    @Test
    void constantDims() throws OpTypeException {
        assertEquals(Dim.of(3), len(Dim.of(10), 2, 8, 2)); // 2, 4, 6
        assertEquals(Dim.of(3), len(Dim.of(10), -3, END, 1)); // 7, 8, 9
        assertEquals(Dim.of(10), len(Dim.of(10), 0, 100, 1));
        assertEquals(Dim.of(0), len(Dim.of(10), 5, 2, 1));
        assertEquals(Dim.of(10), len(Dim.of(10), -1, Long.MIN_VALUE, -1)); // 9 down to 0
        assertEquals(Dim.of(4), len(Dim.of(10), 8, 0, -2)); // 8, 6, 4, 2
        assertEquals(Dim.of(0), len(Dim.of(0), -1, Long.MIN_VALUE, -1));
        assertEquals(Dim.of(1), len(Dim.of(10), Long.MIN_VALUE, Long.MIN_VALUE, -1)); // start clamps to 0, end to -1
        assertEquals(Dim.of(0), len(Dim.of(10), END, END, 1));
    }

    @Test
    void symbolicDimsWhereTheClampIsDecidable() throws OpTypeException {
        assertEquals(Dim.of(1), len(S, 0, 1, 1)); // the first token, S >= 1
        assertEquals(Dim.of(1), len(S, -1, END, 1)); // the last token
        assertEquals(S.minus(Dim.of(1)), len(S, 1, END, 1));
        assertEquals(S, len(S, 0, END, 1));
        assertEquals(S, len(S, Long.MIN_VALUE, END, 1));
        assertEquals(S.plus(1).floorDiv(Dim.of(2)), len(S, 0, END, 2));
        assertEquals(S, len(S, -1, Long.MIN_VALUE, -1)); // reversal
        assertEquals(Dim.of(0), len(S, 3, 2, 1));
        // The first and second half of a 2 * S dim.
        assertEquals(S, OpTyping.slice(f32(S.times(2)), 0, Dim.of(0), S, 1).dim(0));
        assertEquals(S, OpTyping.slice(f32(S.times(2)), 0, S, Dim.of(END), 1).dim(0));
    }

    @Test
    void undecidableSymbolicBoundsAreE0307() {
        // S could be 1, 3 or 100: the length of [2, 5) depends on it.
        OpTypeException e = assertThrows(OpTypeException.class, () -> len(S, 2, 5, 1));
        assertEquals(ErrorCode.E0307, e.code());
        assertEquals("slice bounds start = 2, end = 5 on f32[B, S] cannot be resolved at compile time", e.getMessage());
        assertEquals(ErrorCode.E0307, assertThrows(OpTypeException.class, () -> len(S, 0, -2, 1)).code());
    }

    @Test
    void stepZeroAndBadAxis() {
        assertEquals(ErrorCode.E0307, assertThrows(OpTypeException.class, () -> len(Dim.of(4), 0, 4, 0)).code());
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", f32(4), P);
        OpTypeException e = assertThrows(OpTypeException.class,
                () -> g.op("slice", IrFixtures.ins(x), IrFixtures.attrs("axis", 1, "start", 0, "end", 2, "step", 1), P));
        assertEquals(ErrorCode.E0303, e.code());
    }

    @Test
    void builderStoresTheBoundsAsWritten() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", f32(B, S, 8), P);
        Value y = IrFixtures.call(g, "slice", IrFixtures.ins(x), IrFixtures.attrs("axis", -2, "start", -1, "end", END, "step", 1));
        assertEquals(f32(B, 1, 8), y.type());
        Node.Slice n = (Node.Slice) g.build(java.util.List.of(y), java.util.List.of("y")).nodes().getFirst();
        assertEquals(1, n.axis());
        assertEquals(Dim.of(-1), n.start());
    }

    @Test
    void constantSlicesMatchTheSpecWalk() {
        qt().forAll(integers().between(0, 12), integers().between(-16, 16), integers().between(-16, 16), integers().between(-3, 3))
                .assuming((n, s, e, k) -> k != 0)
                .checkAssert((n, s, e, k) -> {
                    try {
                        assertEquals(Dim.of(oracle(n, s, e, k)), len(Dim.of(n), s, e, k), "n=" + n + " [" + s + ":" + e + ":" + k + "]");
                    } catch (OpTypeException ex) {
                        throw new AssertionError(ex);
                    }
                });
    }

    @Test
    void symbolicSlicesAgreeWithConstantsWhenTheyResolve() {
        // Whenever the symbolic rule gives a length, it is the constant rule's length at every S >= 1.
        qt().forAll(integers().between(-6, 6), integers().between(-6, 6), integers().between(-2, 2), integers().between(1, 12))
                .assuming((s, e, k, n) -> k != 0)
                .checkAssert((s, e, k, n) -> {
                    Dim symbolic;
                    try {
                        symbolic = len(S, s, e, k);
                    } catch (OpTypeException ex) {
                        return;
                    }
                    assertEquals(oracle(n, s, e, k), symbolic.evaluate(Map.of("S", (long) n)), symbolic + " at S=" + n);
                });
    }
}
