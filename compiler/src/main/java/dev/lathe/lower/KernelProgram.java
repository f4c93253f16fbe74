package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph lowered for a backend (DESIGN.md §3): buffers, kernels run in order, and the signature.
 * Immutable; {@link KernelPrinter#print} shows it.
 *
 * @param graphName the Graph IR graph it came from
 * @param buffers   {@code buffers.get(i).id() == i}
 * @param kernels   in execution order
 * @param inputs    graph inputs, each in its INPUT buffer
 * @param outputs   graph outputs, each in its own OUTPUT buffer (dense, row-major)
 * @param dims      named dims with their declared bounds
 * @param weights   the data of every WEIGHT buffer, by weight key (never copied into code)
 */
public record KernelProgram(String graphName, List<Buffer> buffers, List<Kernel> kernels, List<Io> inputs, List<Io> outputs,
                            Map<String, DimBounds> dims, Map<String, Tensor> weights) {
    public KernelProgram {
        buffers = List.copyOf(buffers);
        kernels = List.copyOf(kernels);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        dims = Collections.unmodifiableMap(new LinkedHashMap<>(dims));
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) throw new IllegalArgumentException("buffer " + i + " has id " + buffers.get(i).id());
        }
    }

    /** A graph input or output: name, element type, symbolic shape, buffer. */
    public record Io(String name, DType dtype, List<Dim> shape, int buffer) {
        public Io {
            shape = List.copyOf(shape);
        }
    }

    public Buffer buffer(int id) {
        return buffers.get(id);
    }

    public KernelProgram withKernels(List<Kernel> newKernels) {
        return new KernelProgram(graphName, buffers, newKernels, inputs, outputs, dims, weights);
    }

    public KernelProgram withBuffers(List<Buffer> newBuffers) {
        return new KernelProgram(graphName, newBuffers, kernels, inputs, outputs, dims, weights);
    }
}
