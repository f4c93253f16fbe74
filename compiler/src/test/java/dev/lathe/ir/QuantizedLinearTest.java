package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Node.QuantGranularity;
import dev.lathe.runtime.DType;
import org.junit.jupiter.api.Test;

/** Typing, costs and printing of the compressed op quantized_linear. */
class QuantizedLinearTest {
    @Test
    void typesLikeTheLinearLayerItReplaces() throws OpTypeException {
        assertEquals(f32(B, 3, 8), OpTyping.quantizedLinear(f32(B, 3, 64), type(DType.I4, 8, 64), f32(8, 2), null, f32(8), 4,
                QuantGranularity.GROUP, 32));
        assertEquals(f32(8), OpTyping.quantizedLinear(f32(64), type(DType.U8, 8, 64), f32(8, 1), type(DType.U8, 8, 1), null, 8,
                QuantGranularity.CHANNEL, 64));
        assertEquals(f32(B, 8), OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(1, 1), null, null, 8, QuantGranularity.TENSOR, 64));
        // group scales as the quantize pass stores them: f16
        assertEquals(f32(B, 8), OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), type(DType.F16, 8, 2), null, null, 4,
                QuantGranularity.GROUP, 32));
    }

    @Test
    void rejectsScalesZerosAndIntegersThatDoNotFit() {
        // scales of the wrong grid, zeros without an unsigned q, q of the wrong width, a group that does not divide
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), f32(8, 1), null, null, 4,
                QuantGranularity.GROUP, 32));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(8, 1), type(DType.I8, 8, 1), null, 8,
                QuantGranularity.CHANNEL, 64));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(8, 2), null, null, 4,
                QuantGranularity.GROUP, 32));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(8, 2), null, null, 8,
                QuantGranularity.GROUP, 30));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 63), type(DType.I8, 8, 64), f32(8, 1), null, null, 8,
                QuantGranularity.CHANNEL, 64));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(8, 1), null, null, 8,
                QuantGranularity.CHANNEL, 32));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), type(DType.BF16, 8, 1), null, null, 8,
                QuantGranularity.CHANNEL, 64));
    }

    @Test
    void costsTheLinearLayerItStandsFor() {
        Value x = new Value(0, f32(B, 64), "x");
        Value q = new Value(1, type(DType.U4, 8, 64), "q");
        Value s = new Value(2, f32(8, 2), "s");
        Value z = new Value(3, type(DType.U4, 8, 2), "z");
        Node n = new Node.QuantizedLinear(x, q, s, z, null, 4, QuantGranularity.GROUP, 32, new Value(4, f32(B, 8), ""), P);
        // 2 * B * 8 * 64
        assertEquals(B.times(1024), Costs.flops(n));
        assertEquals("%4: f32[B, 8] = quantized_linear(%0, %1, %2, %3, bits=4, granularity=\"group\", group=32)", IrPrinter.line(n));
        assertThrows(IllegalArgumentException.class, () -> new Node.QuantizedLinear(x, q, s, z, null, 4, QuantGranularity.GROUP, 32,
                new Value(4, f32(B, 7), ""), P));
    }

    @Test
    void dgqTypesWithChannelScalesAndU8GroupScales() throws OpTypeException {
        assertEquals(f32(B, 8), OpTyping.quantizedLinear(f32(B, 64), type(DType.U4, 8, 64), f32(8, 1), type(DType.U4, 8, 2), null, 4,
                QuantGranularity.GROUP, 32, type(DType.U8, 8, 2)));
        assertEquals(f32(B, 8), OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), f32(8, 1), null, null, 4,
                QuantGranularity.GROUP, 32, type(DType.U8, 8, 2)));
        // group-shaped float scales, f16 channel scales, i8 group scales, 8 bits
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), f32(8, 2), null, null, 4,
                QuantGranularity.GROUP, 32, type(DType.U8, 8, 2)));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), type(DType.F16, 8, 1), null, null, 4,
                QuantGranularity.GROUP, 32, type(DType.U8, 8, 2)));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I4, 8, 64), f32(8, 1), null, null, 4,
                QuantGranularity.GROUP, 32, type(DType.I8, 8, 2)));
        assertThrows(OpTypeException.class, () -> OpTyping.quantizedLinear(f32(B, 64), type(DType.I8, 8, 64), f32(8, 1), null, null, 8,
                QuantGranularity.GROUP, 32, type(DType.U8, 8, 2)));
    }

    /** The two trailing fields: dynamic activations alone print as such; group scales (DGQ) need them and print as the scheme. */
    @Test
    void dynamicActivationsAndGroupScalesAreTheTrailingFields() {
        Value x = new Value(0, f32(B, 64), "x");
        Value q = new Value(1, type(DType.I4, 8, 64), "q");
        Value channel = new Value(2, f32(8, 1), "s");
        Value groupScales = new Value(3, type(DType.U8, 8, 2), "gs");
        Value out = new Value(4, f32(B, 8), "");
        Node.QuantizedLinear dynamic = new Node.QuantizedLinear(x, q, new Value(5, type(DType.F16, 8, 2), "s16"), null, null, 4,
                QuantGranularity.GROUP, 32, out, P, true, null);
        assertEquals(false, dynamic.dgq());
        assertEquals("%4: f32[B, 8] = quantized_linear(%0, %1, %5, bits=4, granularity=\"group\", group=32, activations=\"dynamic\")",
                IrPrinter.line(dynamic));
        Node.QuantizedLinear dgq = new Node.QuantizedLinear(x, q, channel, null, null, 4, QuantGranularity.GROUP, 32, out, P, true, groupScales);
        assertEquals(true, dgq.dgq());
        assertEquals(java.util.List.of(x, q, channel, groupScales), dgq.inputs());
        assertEquals("%4: f32[B, 8] = quantized_linear(%0, %1, %2, %3, bits=4, granularity=\"group\", group=32, scheme=\"dgq\")",
                IrPrinter.line(dgq));
        assertThrows(IllegalArgumentException.class, () -> new Node.QuantizedLinear(x, q, channel, null, null, 4, QuantGranularity.GROUP, 32, out, P,
                false, groupScales));
    }
}
