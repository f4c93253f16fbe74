package dev.lathe.pass.quantize;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the activations that reach a weight on the calibration inputs: the graph is run by the
 * reference interpreter with the layers' input values as extra outputs, and each value
 * {@code [..., n]} gives its rows. DGQ uses them to weigh its grid search and to set its clipping levels.
 *
 * @param x [rows, n] row-major
 */
record InputSample(double[] x, int rows, int n) {
    private static final String CAPTURE = "__quantize_input_";

    static InputSample collect(Graph g, List<Value> inputs, int n, List<Map<String, Tensor>> feeds) {
        List<GraphOutput> outputs = new ArrayList<>(g.outputs());
        for (int i = 0; i < inputs.size(); i++) outputs.add(new GraphOutput(CAPTURE + i, inputs.get(i)));
        Graph probe = new Graph(g.name(), g.inputs(), g.params(), g.nodes(), outputs, g.dims());
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (Map<String, Tensor> feed : feeds) {
            LinkedHashMap<String, Tensor> results = Interpreter.run(probe, feed);
            for (int i = 0; i < inputs.size(); i++) {
                double[] part = results.get(CAPTURE + i).toDoubleArray();
                parts.add(part);
                total = Math.addExact(total, part.length);
            }
        }
        if (total == 0) throw new IllegalArgumentException("the calibration inputs give no activation rows");
        double[] x = new double[total];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, x, at, part.length);
            at += part.length;
        }
        return new InputSample(x, total / n, n);
    }

    /**
     * The mean square {@code E[x_i^2]} of each input plus 1% of the mean over inputs (so that inputs
     * never active on the calibration rows still count): DGQ's weight on the error of column i, as AWQ
     * and GPTQ weigh weight errors by activations.
     */
    double[] meanSquares() {
        double[] sum = new double[n];
        for (int e = 0; e < x.length; e++) sum[e % n] += x[e] * x[e];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            sum[i] /= rows;
            mean += sum[i] / n;
        }
        for (int i = 0; i < n; i++) sum[i] += 0.01 * mean + Double.MIN_NORMAL;
        return sum;
    }

    /** Per input i, the nearest-rank percentile p of {@code |x_i|} over the rows ({@code p = 100}: the maximum). */
    double[] clipLevels(double p) {
        double[] levels = new double[n];
        double[] column = new double[rows];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) column[r] = Math.abs(x[r * n + i]);
            Arrays.sort(column);
            levels[i] = Quantizer.nearestRank(column, p);
        }
        return levels;
    }
}
