package dev.lathe.runtime.model;

import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a compiled model needs besides its code and its weights: the signature (inputs,
 * outputs, named dims and their bounds), the table of symbolic sizes the code reads, and the buffers
 * (inputs, weights, pooled scratch slots, outputs). The compiler makes it; {@link #format()} and
 * {@link #parse(String)} turn it into the small text descriptor that {@code lathe compile} writes
 * next to the class file. Immutable.
 *
 * @param graphName  the compiled graph
 * @param className  binary name of the generated class
 * @param dims       named dims with their declared bounds, in declaration order
 * @param sizes      size expressions ({@link SizeExpr} text); the code reads size {@code i} as {@code sizes[i]}
 * @param buffers    every buffer, {@code buffers.get(i).id() == i}
 * @param inputs     graph inputs in order
 * @param outputs    graph outputs in order
 * @param weightsFile the safetensors file (relative to the descriptor) holding the weights, or null
 */
public record ModelSpec(String graphName, String className, List<DimSpec> dims, List<String> sizes, List<BufferSpec> buffers,
                        List<IoSpec> inputs, List<IoSpec> outputs, String weightsFile) {
    public static final String MAGIC = "lathe-model";
    public static final int VERSION = 1;

    public ModelSpec {
        Objects.requireNonNull(graphName, "graphName");
        Objects.requireNonNull(className, "className");
        dims = List.copyOf(dims);
        sizes = List.copyOf(sizes);
        buffers = List.copyOf(buffers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) throw new IllegalArgumentException("buffer " + i + " has id " + buffers.get(i).id());
        }
    }

    /** A named dim and its inclusive bounds (null = open). */
    public record DimSpec(String name, Long lo, Long hi) {
        public boolean contains(long v) {
            return (lo == null || v >= lo) && (hi == null || v <= hi);
        }
    }

    /** What a buffer holds and who provides its array. */
    public enum Role {
        /** The caller's input tensor's array (read only). */
        INPUT,
        /** A weight, loaded (and maybe packed) once when the model is loaded (read only). */
        WEIGHT,
        /** An intermediate in a pooled scratch slot, shared with other buffers whose lifetimes do not overlap. */
        SCRATCH,
        /** A fresh array per call that becomes an output tensor. */
        OUTPUT
    }

    /**
     * One buffer.
     *
     * @param size     index into {@link #sizes()} of its element count
     * @param name     input name (INPUT), weight key (WEIGHT), else empty
     * @param slot     scratch slot (SCRATCH), else -1
     * @param packing  how a weight is prepared at load ({@link WeightPacking}); empty for plain arrays
     * @param shape    a weight's static shape; empty otherwise
     */
    public record BufferSpec(int id, Role role, DType dtype, int size, String name, int slot, String packing, List<Long> shape) {
        public BufferSpec {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(dtype, "dtype");
            if (name == null) name = "";
            if (packing == null) packing = "";
            shape = List.copyOf(shape);
        }
    }

    /** A graph input or output: its name, dtype, symbolic shape and the buffer holding it. */
    public record IoSpec(String name, DType dtype, List<String> shape, int buffer) {
        public IoSpec {
            shape = List.copyOf(shape);
        }

        /** As in source: {@code f32[B, 784]}. */
        public String typeString() {
            return dtype.sourceName() + "[" + String.join(", ", shape) + "]";
        }
    }

    /** The number of scratch slots. */
    public int slotCount() {
        int n = 0;
        for (BufferSpec b : buffers) n = Math.max(n, b.slot() + 1);
        return n;
    }

    public ModelSpec withWeightsFile(String file) {
        return new ModelSpec(graphName, className, dims, sizes, buffers, inputs, outputs, file);
    }

    /** The text descriptor: one tab-separated record per line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        line(sb, MAGIC, String.valueOf(VERSION));
        line(sb, "graph", graphName);
        line(sb, "class", className);
        if (weightsFile != null) line(sb, "weights", weightsFile);
        for (DimSpec d : dims) line(sb, "dim", d.name(), d.lo() == null ? "-" : d.lo().toString(), d.hi() == null ? "-" : d.hi().toString());
        for (String s : sizes) line(sb, "size", s);
        for (BufferSpec b : buffers) {
            line(sb, "buffer", String.valueOf(b.id()), b.role().name(), b.dtype().sourceName(), String.valueOf(b.size()),
                    b.name().isEmpty() ? "-" : b.name(), String.valueOf(b.slot()), b.packing().isEmpty() ? "-" : b.packing(),
                    join(b.shape().stream().map(String::valueOf).toList()));
        }
        for (IoSpec io : inputs) line(sb, "input", io.name(), io.dtype().sourceName(), String.valueOf(io.buffer()), join(io.shape()));
        for (IoSpec io : outputs) line(sb, "output", io.name(), io.dtype().sourceName(), String.valueOf(io.buffer()), join(io.shape()));
        return sb.toString();
    }

    private static String join(List<String> parts) {
        return parts.isEmpty() ? "[]" : String.join("|", parts);
    }

    private static List<String> split(String text) {
        return text.equals("[]") ? List.of() : List.of(text.split("\\|", -1));
    }

    private static void line(StringBuilder sb, String... fields) {
        for (String f : fields) {
            if (f.indexOf('\t') >= 0 || f.indexOf('\n') >= 0) throw new IllegalArgumentException("field with a tab or newline: " + f);
        }
        sb.append(String.join("\t", fields)).append('\n');
    }

    /** Reads {@link #format()}'s text; throws {@link IllegalArgumentException} naming the bad line. */
    public static ModelSpec parse(String text) {
        String graph = null, cls = null, weights = null;
        List<DimSpec> dims = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        List<BufferSpec> buffers = new ArrayList<>();
        List<IoSpec> inputs = new ArrayList<>();
        List<IoSpec> outputs = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case MAGIC -> {
                        if (Integer.parseInt(f[1]) != VERSION) throw new IllegalArgumentException("descriptor version " + f[1] + ", this runtime reads " + VERSION);
                    }
                    case "graph" -> graph = f[1];
                    case "class" -> cls = f[1];
                    case "weights" -> weights = f[1];
                    case "dim" -> dims.add(new DimSpec(f[1], f[2].equals("-") ? null : Long.valueOf(f[2]), f[3].equals("-") ? null : Long.valueOf(f[3])));
                    case "size" -> sizes.add(f[1]);
                    case "buffer" -> buffers.add(new BufferSpec(Integer.parseInt(f[1]), Role.valueOf(f[2]), dtype(f[3]), Integer.parseInt(f[4]),
                            f[5].equals("-") ? "" : f[5], Integer.parseInt(f[6]), f[7].equals("-") ? "" : f[7],
                            split(f[8]).stream().map(Long::valueOf).toList()));
                    case "input" -> inputs.add(new IoSpec(f[1], dtype(f[2]), split(f[4]), Integer.parseInt(f[3])));
                    case "output" -> outputs.add(new IoSpec(f[1], dtype(f[2]), split(f[4]), Integer.parseInt(f[3])));
                    default -> throw new IllegalArgumentException("unknown record '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("model descriptor line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (graph == null || cls == null) throw new IllegalArgumentException("model descriptor lacks its graph or class line");
        return new ModelSpec(graph, cls, dims, sizes, buffers, inputs, outputs, weights);
    }

    private static DType dtype(String name) {
        return DType.fromSourceName(name).orElseThrow(() -> new IllegalArgumentException("unknown dtype " + name));
    }
}
