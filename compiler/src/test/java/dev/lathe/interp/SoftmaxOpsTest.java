package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.f64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxOpsTest {
    private static final double LN3 = Math.log(3);

    @Test
    void softmaxOfKnownRow() {
        // e^0 = 1, e^ln3 = 3: [1, 3] / 4
        assertTensor(SoftmaxOps.softmax(f64(shape(2), 0, LN3), -1), shape(2), 1e-15, 0.25, 0.75);
        // Subtracting the max first: e^1000 would overflow.
        assertTensor(SoftmaxOps.softmax(f64(shape(2), 1000, 1000), 0), shape(2), 0, 0.5, 0.5);
    }

    @Test
    void softmaxOverTheFirstAxis() {
        // columns: [0, ln3] -> [1/4, 3/4]; [0, 0] -> [1/2, 1/2]
        assertTensor(SoftmaxOps.softmax(f64(shape(2, 2), 0, 0, LN3, 0), 0), shape(2, 2), 1e-15, 0.25, 0.5, 0.75, 0.5);
    }

    @Test
    void logSoftmax() {
        // ln(1/4) = -1.3862943611198906, ln(3/4) = -0.2876820724517809
        assertTensor(SoftmaxOps.logSoftmax(f64(shape(2), 0, LN3), -1), shape(2), 1e-15, -1.3862943611198906, -0.2876820724517809);
        // [0, -1000]: log(1 + e^-1000) = 0, so [0, -1000], where log(softmax) would give -inf
        assertTensor(SoftmaxOps.logSoftmax(f64(shape(2), 0, -1000), -1), shape(2), 0, 0, -1000);
    }

    @Test
    void rowsSumToOne() {
        qt().forAll(integers().between(1, 4), lists().of(doubles().between(-50, 50)).ofSizeBetween(1, 24)).checkAssert((rows, values) -> {
            int cols = values.size();
            double[] data = new double[rows * cols];
            for (int i = 0; i < data.length; i++) data[i] = values.get(i % cols) * (1 + i / cols);
            Tensor y = SoftmaxOps.softmax(f32(shape(rows, cols), data), 1);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    double p = y.getDouble(r * cols + c);
                    assertTrue(p >= 0 && p <= 1, "probability " + p);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        });
    }

    @Test
    void logSoftmaxIsLogOfSoftmaxWhereNothingUnderflows() {
        qt().forAll(lists().of(doubles().between(-20, 20)).ofSizeBetween(1, 16)).checkAssert(values -> {
            Tensor x = f64(shape(values.size()), values.stream().mapToDouble(Double::doubleValue).toArray());
            Tensor p = SoftmaxOps.softmax(x, 0);
            Tensor lp = SoftmaxOps.logSoftmax(x, 0);
            for (int i = 0; i < values.size(); i++) assertEquals(Math.log(p.getDouble(i)), lp.getDouble(i), 1e-12);
        });
    }
}
