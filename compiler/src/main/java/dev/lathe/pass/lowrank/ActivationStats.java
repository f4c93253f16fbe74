package dev.lathe.pass.lowrank;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second-moment matrix {@code C = X^T X / N} of the activations that reach a weight: the graph
 * is run by the reference interpreter on every calibration feed with the weight's input values as
 * extra outputs, and each such value {@code [..., n]} contributes its rows. Computed on the graph
 * as the pass finds it, so a layer sees the activations that earlier compressed layers produce.
 *
 * @param covariance [n, n], row-major
 * @param rows N, the number of activation rows
 */
record ActivationStats(double[] covariance, long rows) {
    private static final String CAPTURE = "__lowrank_activation_";

    static ActivationStats collect(Graph g, List<Value> inputs, int n, List<Map<String, Tensor>> feeds) {
        List<GraphOutput> outputs = new ArrayList<>(g.outputs());
        for (int i = 0; i < inputs.size(); i++) outputs.add(new GraphOutput(CAPTURE + i, inputs.get(i)));
        Graph probe = new Graph(g.name(), g.inputs(), g.params(), g.nodes(), outputs, g.dims());
        double[] sum = new double[n * n];
        long rows = 0;
        for (Map<String, Tensor> feed : feeds) {
            LinkedHashMap<String, Tensor> results = Interpreter.run(probe, feed);
            for (int i = 0; i < inputs.size(); i++) {
                double[] x = results.get(CAPTURE + i).toDoubleArray();   // [rows, n]
                int count = x.length / n;
                for (int r = 0; r < count; r++) {
                    int base = r * n;
                    // The upper triangle only; C is symmetric.
                    for (int a = 0; a < n; a++) {
                        double xa = x[base + a];
                        if (xa == 0) continue;
                        for (int b = a; b < n; b++) sum[a * n + b] += xa * x[base + b];
                    }
                }
                rows += count;
            }
        }
        if (rows == 0) throw new IllegalArgumentException("the calibration inputs give no activation rows");
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double c = sum[a * n + b] / rows;
                sum[a * n + b] = c;
                sum[b * n + a] = c;
            }
        }
        return new ActivationStats(sum, rows);
    }
}
