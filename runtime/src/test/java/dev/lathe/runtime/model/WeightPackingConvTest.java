package dev.lathe.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.ConvWeights;
import org.junit.jupiter.api.Test;

/** The conv packings turn a weight [cout, cin, kh, kw] into ConvWeights holding the same values. */
class WeightPackingConvTest {
    @Test
    void convPackingsHoldTheWeight() {
        int cout = 11, cin = 3, kh = 2, kw = 3, kk = cin * kh * kw;
        float[] w = new float[cout * kk];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.5f - 7;
        Tensor t = Tensor.ofFloats(new long[] {cout, cin, kh, kw}, w);
        for (String packing : new String[] {WeightPacking.CONV, WeightPacking.CONV_DIRECT}) {
            ConvWeights p = assertInstanceOf(ConvWeights.class, WeightPacking.prepare(packing, t));
            assertEquals(cout, p.cout());
            assertEquals(cin, p.cin());
            assertEquals(kh, p.kh());
            assertEquals(kw, p.kw());
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < kk; i++) assertEquals(w[o * kk + i], p.get(o, i), packing + " o=" + o + " i=" + i);
            }
        }
    }

    @Test
    void aConvPackingNeedsAFourDimensionalF32Weight() {
        Tensor matrix = Tensor.ofFloats(new long[] {2, 3}, new float[6]);
        assertThrows(IllegalArgumentException.class, () -> WeightPacking.prepare(WeightPacking.CONV, matrix));
    }
}
