package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.bool;
import static dev.lathe.interp.TestTensors.f64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Worked by hand with S = 2, D = 2. With scale ln 3 and q = k = identity, the scores of query i
 * are ln 3 for key i and 0 for the other, so softmax gives 3/4 to key i and 1/4 to the other.
 */
class AttentionOpsTest {
    private static final double LN3 = Math.log(3);
    private static final Tensor ID = f64(shape(1, 2, 2), 1, 0, 0, 1);
    /** v rows [1, 2] and [3, 4]. */
    private static final Tensor V = f64(shape(1, 2, 2), 1, 2, 3, 4);
    private static final double TOL = 1e-14;

    @Test
    void singleHeadWithExplicitScale() {
        // row 0: 3/4 [1,2] + 1/4 [3,4] = [1.5, 2.5]; row 1: 1/4 [1,2] + 3/4 [3,4] = [2.5, 3.5]
        assertTensor(AttentionOps.attention(ID, ID, V, 1, null, false, LN3), shape(1, 2, 2), TOL, 1.5, 2.5, 2.5, 3.5);
    }

    @Test
    void singleHeadWithDefaultScale() {
        // scale 1/sqrt(2): scores of row 0 are [1/sqrt 2, 0], p = 1 / (1 + e^(-1/sqrt 2)) = 0.6697615493266569
        // row 0 = p [1,2] + (1-p) [3,4] = [3 - 2p, 4 - 2p]; row 1 = [1 + 2p, 2 + 2p]
        double p = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
        assertTensor(AttentionOps.attention(ID, ID, V, 1, null, false, null), shape(1, 2, 2), TOL, 3 - 2 * p, 4 - 2 * p, 1 + 2 * p, 2 + 2 * p);
    }

    @Test
    void twoHeadsUseTheirOwnColumns() {
        // heads 2, head dim 1, default scale 1 / sqrt(1) = 1. q = [[ln3, 0], [0, ln3]], k = I, v = [[1, 10], [3, 30]].
        // head 0 (column 0): q = [ln3, 0], k = [1, 0]: row 0 scores [ln3, 0] -> [3/4, 1/4]; row 1 [0, 0] -> [1/2, 1/2]
        //   v column 0 = [1, 3]: row 0 = 3/4 + 3/4 = 1.5, row 1 = 2
        // head 1 (column 1): q = [0, ln3], k = [0, 1]: row 0 [0, 0] -> [1/2, 1/2]; row 1 [0, ln3] -> [1/4, 3/4]
        //   v column 1 = [10, 30]: row 0 = 20, row 1 = 2.5 + 22.5 = 25
        Tensor q = f64(shape(1, 2, 2), LN3, 0, 0, LN3);
        Tensor v = f64(shape(1, 2, 2), 1, 10, 3, 30);
        assertTensor(AttentionOps.attention(q, ID, v, 2, null, false, null), shape(1, 2, 2), TOL, 1.5, 20, 2, 25);
    }

    @Test
    void causalHidesLaterKeys() {
        // row 0 sees only key 0: v0 = [1, 2]; row 1 sees both, as in singleHeadWithExplicitScale
        assertTensor(AttentionOps.attention(ID, ID, V, 1, null, true, LN3), shape(1, 2, 2), TOL, 1, 2, 2.5, 3.5);
    }

    @Test
    void causalAlignsTheEndsWhenLengthsDiffer() {
        // q = 0 gives equal scores, so each row averages the values it sees. Sq = 2, Sk = 3, v = [1, 2, 6]:
        // query 0 sees keys j <= 0 + 3 - 2 = 1: (1 + 2) / 2 = 1.5; query 1 sees all: (1 + 2 + 6) / 3 = 3
        Tensor q = f64(shape(1, 2, 1), 0, 0);
        Tensor k = f64(shape(1, 3, 1), 0, 0, 0);
        Tensor v = f64(shape(1, 3, 1), 1, 2, 6);
        assertTensor(AttentionOps.attention(q, k, v, 1, null, true, null), shape(1, 2, 1), TOL, 1.5, 3);
        // one query (the last position) sees every key: (1 + 2 + 6) / 3
        assertTensor(AttentionOps.attention(f64(shape(1, 1, 1), 0), k, v, 1, null, true, null), shape(1, 1, 1), TOL, 3);
    }

    @Test
    void boolMaskTrueMeansAttend() {
        // row 0 may only see key 1 -> v1 = [3, 4]; row 1 sees both -> [2.5, 3.5]
        Tensor mask = bool(shape(2, 2), false, true, true, true);
        assertTensor(AttentionOps.attention(ID, ID, V, 1, mask, false, LN3), shape(1, 2, 2), TOL, 3, 4, 2.5, 3.5);
        // with causal as well, row 0 sees nothing and gives zeros
        assertTensor(AttentionOps.attention(ID, ID, V, 1, mask, true, LN3), shape(1, 2, 2), TOL, 0, 0, 2.5, 3.5);
    }

    @Test
    void fullyMaskedRowGivesZeros() {
        Tensor mask = bool(shape(2, 2), false, false, true, true);
        assertTensor(AttentionOps.attention(ID, ID, V, 1, mask, false, LN3), shape(1, 2, 2), TOL, 0, 0, 2.5, 3.5);
        Tensor minusInf = f64(shape(2, 2), Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0);
        assertTensor(AttentionOps.attention(ID, ID, V, 1, minusInf, false, LN3), shape(1, 2, 2), TOL, 0, 0, 2.5, 3.5);
    }

    @Test
    void floatMaskIsAddedToScores() {
        // row 0: [ln3, 0] + [0, ln3] = [ln3, ln3] -> [1/2, 1/2] -> [2, 3]; row 1 unchanged
        Tensor mask = f64(shape(2, 2), 0, LN3, 0, 0);
        assertTensor(AttentionOps.attention(ID, ID, V, 1, mask, false, LN3), shape(1, 2, 2), TOL, 2, 3, 2.5, 3.5);
    }

    @Test
    void maskBroadcastsPerBatch() {
        // key-padding mask [B, 1, 1, Sk]: batch 0 hides key 1, batch 1 hides key 0; q = 0 so weights are uniform
        Tensor q = f64(shape(2, 1, 1), 0, 0);
        Tensor k = f64(shape(2, 2, 1), 0, 0, 0, 0);
        Tensor v = f64(shape(2, 2, 1), 1, 2, 3, 4);
        Tensor mask = bool(shape(2, 1, 1, 2), true, false, false, true);
        assertTensor(AttentionOps.attention(q, k, v, 1, mask, false, null), shape(2, 1, 1), TOL, 1, 4);
        assertThrows(InterpreterException.class, () -> AttentionOps.attention(q, k, v, 1, bool(shape(3), true, true, true), false, null));
    }

    @Test
    void headsMustDivideTheModelDim() {
        Tensor x = f64(shape(1, 1, 3), 1, 2, 3);
        assertThrows(InterpreterException.class, () -> AttentionOps.attention(x, x, x, 2, null, false, null));
    }

    @Test
    void equalScoresAverageTheValues() {
        // With q = 0 every score is 0, so each output is the plain mean of v's rows, for any v.
        qt().forAll(lists().of(doubles().between(-10, 10)).ofSize(6)).checkAssert(values -> {
            double[] vd = values.stream().mapToDouble(Double::doubleValue).toArray();
            Tensor v = f64(shape(1, 3, 2), vd);
            Tensor zeros = f64(shape(1, 3, 2), new double[6]);
            Tensor out = AttentionOps.attention(zeros, zeros, v, 2, null, false, null);
            double m0 = (vd[0] + vd[2] + vd[4]) / 3;
            double m1 = (vd[1] + vd[3] + vd[5]) / 3;
            assertTensor(out, shape(1, 3, 2), 1e-12, m0, m1, m0, m1, m0, m1);
        });
    }
}
