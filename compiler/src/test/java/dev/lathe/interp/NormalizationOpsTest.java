package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.f64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class NormalizationOpsTest {
    private static final Tensor ONES4 = f64(shape(4), 1, 1, 1, 1);
    private static final Tensor ZEROS4 = f64(shape(4), 0, 0, 0, 0);

    @Test
    void layerNormOfKnownRow() {
        // [1,2,3,4]: mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25,
        // y = (x - 2.5) / sqrt(1.25) = [-1.3416407864998738, -0.4472135954999579, +0.447..., +1.341...]
        Tensor x = f64(shape(1, 4), 1, 2, 3, 4);
        double a = 1.3416407864998738, b = 0.4472135954999579;
        assertTensor(NormalizationOps.layerNorm(x, ONES4, ZEROS4, -1, 0), shape(1, 4), 1e-15, -a, -b, b, a);
        // scale 2 and shift 1: 2y + 1
        assertTensor(NormalizationOps.layerNorm(x, f64(shape(), 2), f64(shape(), 1), -1, 0), shape(1, 4), 1e-14, 1 - 2 * a, 1 - 2 * b, 1 + 2 * b, 1 + 2 * a);
        assertTensor(NormalizationOps.layerNorm(x, ONES4, null, 1, 0), shape(1, 4), 1e-15, -a, -b, b, a);
    }

    @Test
    void epsIsInsideTheSquareRoot() {
        // [0, 2]: mean 1, variance 1; with eps 3: (x - 1) / sqrt(1 + 3) = [-0.5, 0.5]
        assertTensor(NormalizationOps.layerNorm(f64(shape(2), 0, 2), f64(shape(2), 1, 1), null, -1, 3), shape(2), 1e-15, -0.5, 0.5);
    }

    @Test
    void layerNormFromAnEarlierAxisNormalizesTheTrailingBlock() {
        // axis -2 on [1, 2, 2] normalizes all four values of the batch together: same as the row [1,2,3,4]
        Tensor x = f64(shape(1, 2, 2), 1, 2, 3, 4);
        double a = 1.3416407864998738, b = 0.4472135954999579;
        Tensor w = f64(shape(2, 2), 1, 1, 1, 1);
        assertTensor(NormalizationOps.layerNorm(x, w, null, -2, 0), shape(1, 2, 2), 1e-15, -a, -b, b, a);
        // w of the wrong shape for the normalized block
        assertThrows(InterpreterException.class, () -> NormalizationOps.layerNorm(x, f64(shape(3), 1, 1, 1), null, -2, 0));
    }

    @Test
    void layerNormRowsHaveMeanZeroAndUnitVariance() {
        qt().forAll(lists().of(doubles().between(-100, 100)).ofSizeBetween(2, 32)).checkAssert(values -> {
            int n = values.size();
            // Rounded to f32 first, so the statistics below describe the tensor the op sees.
            double[] data = values.stream().mapToDouble(v -> (float) (double) v).toArray();
            double mean = 0;
            for (double v : data) mean += v / n;
            double var = 0;
            for (double v : data) var += (v - mean) * (v - mean) / n;
            double eps = 1e-5;
            Tensor y = NormalizationOps.layerNorm(f32(shape(n), data), f32(shape(), 1), f32(shape(), 0), -1, eps);
            double ym = 0, yv = 0;
            for (int i = 0; i < n; i++) ym += y.getDouble(i) / n;
            for (int i = 0; i < n; i++) yv += (y.getDouble(i) - ym) * (y.getDouble(i) - ym) / n;
            assertEquals(0, ym, 1e-5);
            // Closed form: the output variance is var / (var + eps), which is 1 unless var is tiny.
            assertEquals(var / (var + eps), yv, 1e-4);
        });
    }

    @Test
    void rmsNormOverTheLastDim() {
        // [3, 4]: mean of squares (9 + 16) / 2 = 12.5; 3 / sqrt(12.5) = 0.848528137423857,
        // 4 / sqrt(12.5) = 1.131370849898476, times w = [1, 2] -> [0.8485..., 2.262741699796952]
        assertTensor(NormalizationOps.rmsNorm(f64(shape(1, 2), 3, 4), f64(shape(2), 1, 2), 0), shape(1, 2), 1e-15, 0.848528137423857, 2.262741699796952);
        // eps inside the root: [0, 2]: (0 + 4) / 2 = 2, + eps 2 = 4 -> [0, 2 / 2] = [0, 1]
        assertTensor(NormalizationOps.rmsNorm(f64(shape(2), 0, 2), f64(shape(2), 1, 1), 2), shape(2), 1e-15, 0, 1);
    }

    @Test
    void batchNormUsesPerChannelStatistics() {
        // x [1, 2, 1, 2]: channel 0 = [1, 2], channel 1 = [3, 4]
        // ch0: (x - 1) / sqrt(4) * 1 + 0 = [0, 0.5]; ch1: (x - 3) / sqrt(1) * 2 + 1 = [1, 3]
        Tensor x = f64(shape(1, 2, 1, 2), 1, 2, 3, 4);
        Tensor y = NormalizationOps.batchNorm(x, f64(shape(2), 1, 2), f64(shape(2), 0, 1), f64(shape(2), 1, 3), f64(shape(2), 4, 1), 0);
        assertTensor(y, shape(1, 2, 1, 2), 1e-15, 0, 0.5, 1, 3);
        // eps: ch0 var 4 + eps 5 = 9 -> (2 - 1) / 3 = 1/3 for the second element
        Tensor z = NormalizationOps.batchNorm(x, f64(shape(2), 1, 1), f64(shape(2), 0, 0), f64(shape(2), 1, 3), f64(shape(2), 4, 4), 5);
        assertTensor(z, shape(1, 2, 1, 2), 1e-15, 0, 1.0 / 3, 0, 1.0 / 3);
        assertThrows(InterpreterException.class, () -> NormalizationOps.batchNorm(x, ONES4, ONES4, ONES4, ONES4, 0));
    }
}
