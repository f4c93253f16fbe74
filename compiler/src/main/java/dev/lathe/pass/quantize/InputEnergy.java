package dev.lathe.pass.quantize;

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
 * The mean square {@code E[x_i^2]} of each of the n inputs that reach a weight, over every row of
 * every calibration feed: the graph is run by the reference interpreter with the layers' input
 * values as extra outputs, plus 1% of the mean over inputs. It weighs the error of weight column i in DGQ's grid search (an error in a
 * column that meets large activations costs more), as AWQ and GPTQ weigh weight errors by activations.
 */
final class InputEnergy {
    private InputEnergy() {}

    private static final String CAPTURE = "__quantize_input_";

    static double[] collect(Graph g, List<Value> inputs, int n, List<Map<String, Tensor>> feeds) {
        List<GraphOutput> outputs = new ArrayList<>(g.outputs());
        for (int i = 0; i < inputs.size(); i++) outputs.add(new GraphOutput(CAPTURE + i, inputs.get(i)));
        Graph probe = new Graph(g.name(), g.inputs(), g.params(), g.nodes(), outputs, g.dims());
        double[] sum = new double[n];
        long rows = 0;
        for (Map<String, Tensor> feed : feeds) {
            LinkedHashMap<String, Tensor> results = Interpreter.run(probe, feed);
            for (int i = 0; i < inputs.size(); i++) {
                double[] x = results.get(CAPTURE + i).toDoubleArray();   // [rows, n]
                for (int e = 0; e < x.length; e++) sum[e % n] += x[e] * x[e];
                rows += x.length / n;
            }
        }
        if (rows == 0) throw new IllegalArgumentException("the calibration inputs give no activation rows");
        double mean = 0;
        for (int i = 0; i < n; i++) {
            sum[i] /= rows;
            mean += sum[i] / n;
        }
        // 1% of the mean on top, so that inputs never active on the calibration set still count
        for (int i = 0; i < n; i++) sum[i] += 0.01 * mean + Double.MIN_NORMAL;
        return sum;
    }
}
