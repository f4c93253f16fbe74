package dev.lathe.pass;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs an uncompressed and a compressed graph with the reference interpreter on the same feeds and
 * measures each output's error ({@link OutputError}). An output counts as class scores when it is
 * a float [batch, classes] with at least two classes; labels (one integer class per row over all
 * feeds, in order) then give accuracies, for the first such output.
 */
public final class OutputErrors {
    private OutputErrors() {}

    /** The outputs of {@code graph} on every feed, feed by feed (for running the uncompressed graph once). */
    public static List<Map<String, Tensor>> run(Graph graph, List<Map<String, Tensor>> feeds) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (Map<String, Tensor> feed : feeds) out.add(Interpreter.run(graph, feed));
        return out;
    }

    /**
     * @param labels null, or integer class labels [rows]
     * @throws IllegalArgumentException when labels are given but no output is class scores, or their count differs
     */
    public static List<OutputError> measure(Graph before, List<Map<String, Tensor>> expected, Graph after, List<Map<String, Tensor>> feeds,
                                            Tensor labels) {
        List<Map<String, Tensor>> actual = run(after, feeds);
        List<OutputError> out = new ArrayList<>();
        boolean labelled = false;
        for (GraphOutput o : before.outputs()) {
            boolean scores = isClassScores(o.value().type());
            boolean useLabels = labels != null && scores && !labelled;
            labelled |= useLabels;
            out.add(measure(o.name(), expected, actual, scores, useLabels ? labels : null));
        }
        if (labels != null && !labelled) {
            throw new IllegalArgumentException("--labels needs an output of class scores [batch, classes]; the outputs are "
                    + before.outputs().stream().map(o -> o.name() + ": " + o.value().type()).toList());
        }
        return out;
    }

    static boolean isClassScores(TensorType t) {
        return t.dtype().isFloating() && t.rank() == 2 && t.dim(1).isConstant() && t.dim(1).constant().getAsLong() >= 2;
    }

    private static OutputError measure(String name, List<Map<String, Tensor>> expected, List<Map<String, Tensor>> actual, boolean scores,
                                       Tensor labels) {
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        long rows = 0;
        long agree = 0;
        long correctBefore = 0;
        long correctAfter = 0;
        for (int f = 0; f < expected.size(); f++) {
            Tensor y = expected.get(f).get(name);
            Tensor z = actual.get(f).get(name);
            for (int i = 0; i < y.size(); i++) {
                double a = y.getDouble(i);
                double d = z.getDouble(i) - a;
                maxAbs = Math.max(maxAbs, Math.abs(d));
                diff2 += d * d;
                ref2 += a * a;
            }
            if (!scores) continue;
            int classes = (int) y.dim(1);
            for (int r = 0; r < y.dim(0); r++) {
                int top = argmax(y, r, classes);
                int topAfter = argmax(z, r, classes);
                if (top == topAfter) agree++;
                if (labels != null) {
                    if (rows >= labels.size()) throw new IllegalArgumentException("there are fewer labels (" + labels.size() + ") than calibration rows");
                    long label = labels.getLong((int) rows);
                    if (top == label) correctBefore++;
                    if (topAfter == label) correctAfter++;
                }
                rows++;
            }
        }
        if (labels != null && rows != labels.size()) {
            throw new IllegalArgumentException("there are " + labels.size() + " labels for " + rows + " calibration rows");
        }
        double relative = ref2 == 0 ? (diff2 == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff2 / ref2);
        return new OutputError(name, scores ? rows : 0, maxAbs, relative,
                scores ? (double) agree / rows : null,
                labels != null ? (double) correctBefore / rows : null,
                labels != null ? (double) correctAfter / rows : null);
    }

    private static int argmax(Tensor t, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (t.getDouble(row * classes + c) > t.getDouble(row * classes + best)) best = c;
        }
        return best;
    }

    /** Labels as class numbers: integer tensors as they are, float ones only when every value is integral. */
    public static Tensor labels(Tensor t) {
        if (t.rank() != 1) throw new IllegalArgumentException("labels must be a vector [rows], got shape " + java.util.Arrays.toString(t.shape()));
        if (t.dtype().isInteger()) return t;
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            double v = t.getDouble(i);
            if (v != Math.rint(v)) throw new IllegalArgumentException("label " + i + " is " + v + ", not a class number");
            out[i] = (long) v;
        }
        return Tensor.ofLongs(dev.lathe.runtime.DType.I64, new long[] {out.length}, out);
    }
}
