package dev.lathe.pass;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cuts a calibration tensor (one {@code .npy} of samples) into feeds for a graph input. A tensor
 * of the input's rank is a batch along dim 0, cut into batches the input admits: of the dim's
 * size when it is a constant, else of at most its upper bound (all at once when unbounded). A
 * tensor of one more dim is a stack of single inputs, each fed on its own. Graphs with several
 * inputs take the calibration for the one named; the others cannot be fed from one file.
 */
public final class CalibrationFeeds {
    private CalibrationFeeds() {}

    /**
     * @param inputName the input to feed, or null for the graph's only input
     * @throws IllegalArgumentException with a message for the user when the tensor does not fit
     */
    public static List<Map<String, Tensor>> split(Graph graph, String inputName, Tensor samples) {
        GraphInput input = choose(graph, inputName);
        int rank = input.value().type().rank();
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        if (samples.rank() == rank + 1) {
            for (int i = 0; i < samples.dim(0); i++) feeds.add(Map.of(input.name(), rows(samples, i, i + 1).reshape(tail(samples.shape()))));
            return feeds;
        }
        if (samples.rank() != rank || rank == 0) {
            throw new IllegalArgumentException("calibration samples " + Arrays.toString(samples.shape()) + " do not fit input " + input.name()
                    + ": " + input.value().type() + " (give a batch of the input's rank, or a stack of inputs with one more dim)");
        }
        long total = samples.dim(0);
        if (total == 0) throw new IllegalArgumentException("the calibration file has no samples");
        long chunk = batchSize(graph, input.value().type().dim(0), total);
        if (total % chunk != 0 && input.value().type().dim(0).isConstant()) {
            throw new IllegalArgumentException("input " + input.name() + " takes batches of " + chunk + ", but the calibration file has "
                    + total + " samples");
        }
        for (long start = 0; start < total; start += chunk) {
            feeds.add(Map.of(input.name(), rows(samples, start, Math.min(total, start + chunk))));
        }
        return feeds;
    }

    private static GraphInput choose(Graph graph, String name) {
        List<String> names = graph.inputs().stream().map(GraphInput::name).toList();
        if (name != null) {
            return graph.inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the graph has no input " + name + "; its inputs: " + String.join(", ", names)));
        }
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("the graph has inputs " + String.join(", ", names) + "; name the one to calibrate with --input NAME"
                    + " (one calibration file feeds one input)");
        }
        return graph.inputs().getFirst();
    }

    private static long batchSize(Graph graph, Dim first, long total) {
        if (first.isConstant()) return first.constant().getAsLong();
        if (first.isVariable()) {
            DimBounds bounds = graph.dims().get(first.variableName());
            if (bounds != null && bounds.hi() != null) return Math.min(total, bounds.hi());
        }
        return total;
    }

    private static long[] tail(long[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Rows {@code [from, to)} along dim 0, as a new tensor. */
    static Tensor rows(Tensor t, long from, long to) {
        long[] shape = t.shape();
        int row = Math.toIntExact(Tensor.checkedSize(tail(shape)));
        shape[0] = to - from;
        int a = Math.toIntExact(from * row);
        int b = Math.toIntExact(to * row);
        return switch (t.unsafeData()) {
            case float[] f -> Tensor.ofFloats(t.dtype(), shape, Arrays.copyOfRange(f, a, b));
            case double[] d -> Tensor.ofDoubles(shape, Arrays.copyOfRange(d, a, b));
            case long[] l -> Tensor.ofLongs(t.dtype(), shape, Arrays.copyOfRange(l, a, b));
            case boolean[] z -> Tensor.ofBooleans(shape, Arrays.copyOfRange(z, a, b));
            default -> throw new IllegalStateException("unknown storage");
        };
    }
}
