package dev.lathe.runtime.model;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsFile;
import dev.lathe.runtime.kernels.Parallelism;
import dev.lathe.runtime.model.gen.HiddenClasses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled to a JVM class: {@link #run} takes the inputs by name and returns the outputs by
 * name, as the reference interpreter does. Immutable and thread-safe: any number of threads may call
 * {@link #run} at once; each call takes its scratch from a pool, so a call allocates only its outputs.
 *
 * <p>Made by the compiler ({@code dev.lathe.api.Lathe.compile}) or loaded from what
 * {@code lathe compile} wrote ({@link #load(Path, RunOptions)}): the descriptor, the class file and
 * the safetensors weights, which are read (memory-mapped) and packed once here.
 */
public final class CompiledModel {
    private final ModelSpec spec;
    private final ModelCode code;
    private final Object[] weights;
    private final RunContext context;
    private final InputValidator validator;
    private final List<SizeExpr> sizes;
    private final List<List<SizeExpr>> outputShapes;
    private final ScratchPool pool;

    private CompiledModel(ModelSpec spec, ModelCode code, Object[] weights, RunOptions options) {
        this.spec = spec;
        this.code = code;
        this.weights = weights;
        this.context = new RunContext(Parallelism.of(options.threads()));
        this.validator = new InputValidator(spec);
        this.sizes = SizeExpr.parseAll(spec.sizes());
        this.outputShapes = spec.outputs().stream().map(o -> SizeExpr.parseAll(o.shape())).toList();
        this.pool = new ScratchPool(spec.buffers().size(), spec.slotCount());
    }

    /**
     * Defines {@code classBytes} (a class the JVM backend generated for {@code spec}) as a hidden
     * class and loads its weights from {@code weights}, packing those its kernels want packed.
     */
    public static CompiledModel define(ModelSpec spec, byte[] classBytes, WeightSource weights, RunOptions options) {
        Object[] loaded = loadWeights(spec, weights);
        return new CompiledModel(spec, HiddenClasses.define(classBytes), loaded, options);
    }

    /**
     * Loads a model that {@code lathe compile} wrote: {@code descriptor} is its {@code .lathe} file
     * (or the folder holding exactly one), next to the class file and the weights file it names.
     */
    public static CompiledModel load(Path descriptor, RunOptions options) throws IOException {
        Path file = descriptor;
        if (Files.isDirectory(descriptor)) {
            try (var files = Files.list(descriptor)) {
                List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(DESCRIPTOR_SUFFIX)).sorted().toList();
                if (found.size() != 1) throw new IOException(descriptor + " holds " + found.size() + " model descriptors (*" + DESCRIPTOR_SUFFIX + "), expected one");
                file = found.getFirst();
            }
        }
        ModelSpec spec = ModelSpec.parse(Files.readString(file, StandardCharsets.UTF_8));
        Path dir = file.toAbsolutePath().getParent();
        String simple = spec.className().substring(spec.className().lastIndexOf('.') + 1);
        byte[] bytes = Files.readAllBytes(dir.resolve(simple + ".class"));
        if (spec.weightsFile() == null) return define(spec, bytes, key -> { throw new IllegalArgumentException("the model has no weights file"); }, options);
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve(spec.weightsFile()))) {
            return define(spec, bytes, WeightSource.of(st), options);
        }
    }

    /**
     * Loads a model whose descriptor, class file and weights are classpath resources next to each
     * other ({@code descriptor} is the descriptor's resource name, e.g. {@code models/MlpMain.lathe}),
     * as the Maven plugin packages them. Weights in a jar are copied to a temporary file first, since
     * only files can be memory-mapped.
     */
    public static CompiledModel loadResource(ClassLoader loader, String descriptor, RunOptions options) throws IOException {
        String base = descriptor.contains("/") ? descriptor.substring(0, descriptor.lastIndexOf('/') + 1) : "";
        ModelSpec spec = ModelSpec.parse(new String(resource(loader, descriptor), StandardCharsets.UTF_8));
        String simple = spec.className().substring(spec.className().lastIndexOf('.') + 1);
        byte[] bytes = resource(loader, base + simple + ".class");
        if (spec.weightsFile() == null) return define(spec, bytes, key -> { throw new IllegalArgumentException("the model has no weights file"); }, options);
        java.net.URL url = loader.getResource(base + spec.weightsFile());
        if (url == null) throw new IOException("no resource " + base + spec.weightsFile());
        Path weights;
        boolean temporary = false;
        try {
            weights = url.getProtocol().equals("file") ? Path.of(url.toURI()) : null;
        } catch (java.net.URISyntaxException e) {
            weights = null;
        }
        if (weights == null) {
            weights = Files.createTempFile("lathe-weights", ".safetensors");
            temporary = true;
            try (var in = url.openStream()) {
                Files.copy(in, weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (SafetensorsFile st = SafetensorsFile.open(weights)) {
            return define(spec, bytes, WeightSource.of(st), options);
        } finally {
            if (temporary) Files.deleteIfExists(weights);
        }
    }

    private static byte[] resource(ClassLoader loader, String name) throws IOException {
        try (var in = loader.getResourceAsStream(name)) {
            if (in == null) throw new IOException("no resource " + name);
            return in.readAllBytes();
        }
    }

    /** File name suffix of model descriptors. */
    public static final String DESCRIPTOR_SUFFIX = ".lathe";

    // package-private for tests
    static Object[] loadWeights(ModelSpec spec, WeightSource source) {
        Object[] out = new Object[spec.buffers().size()];
        Map<String, Tensor> read = new HashMap<>();
        // by name and packing: a packing that combines weights (CSR) shares the arrays of its parts' own buffers
        Map<String, Object> prepared = new HashMap<>();
        for (ModelSpec.BufferSpec b : spec.buffers()) {
            if (b.role() != ModelSpec.Role.WEIGHT) continue;
            Tensor t = read.computeIfAbsent(b.name(), source::weight);
            long[] expected = b.shape().stream().mapToLong(Long::longValue).toArray();
            if (t.dtype() != b.dtype() || !Arrays.equals(t.shape(), expected)) {
                throw new IllegalArgumentException("weight " + b.name() + " is " + t.dtype().sourceName() + Arrays.toString(t.shape())
                        + ", the compiled model needs " + b.dtype().sourceName() + Arrays.toString(expected));
            }
            out[b.id()] = prepared(b.name(), b.packing(), source, read, prepared);
        }
        return out;
    }

    private static Object prepared(String name, String packing, WeightSource source, Map<String, Tensor> read, Map<String, Object> prepared) {
        String key = name + "\u0000" + packing;
        Object p = prepared.get(key);
        if (p == null) {
            Tensor t = read.computeIfAbsent(name, source::weight);
            p = WeightPacking.prepare(packing, t, (sibling, siblingPacking) -> prepared(sibling, siblingPacking, source, read, prepared));
            prepared.put(key, p);
        }
        return p;
    }

    /** This model running with other options; shares the code and the loaded weights. */
    public CompiledModel withOptions(RunOptions options) {
        return new CompiledModel(spec, code, weights, options);
    }

    public ModelSpec spec() {
        return spec;
    }

    public String graphName() {
        return spec.graphName();
    }

    public List<ModelSpec.IoSpec> inputs() {
        return spec.inputs();
    }

    public List<ModelSpec.IoSpec> outputs() {
        return spec.outputs();
    }

    public int threads() {
        return context.threads();
    }

    /**
     * Runs the graph. Inputs are checked first ({@link ModelInputException} with an E06xx code naming
     * the input); an op that fails on its values throws {@link ModelRunException}. The input tensors
     * are only read; the output tensors are new.
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, Long> dims = validator.check(inputs);
        int[] sizeValues = new int[sizes.size()];
        for (int i = 0; i < sizeValues.length; i++) sizeValues[i] = size(i, dims);
        ScratchPool.Arena arena = pool.acquire();
        Object[] buffers = arena.buffers;
        try {
            for (ModelSpec.BufferSpec b : spec.buffers()) {
                buffers[b.id()] = switch (b.role()) {
                    case INPUT -> inputs.get(b.name()).unsafeData();
                    case WEIGHT -> weights[b.id()];
                    case SCRATCH -> arena.slot(b.slot(), b.dtype().storage(), sizeValues[b.size()]);
                    case OUTPUT -> ScratchPool.allocate(b.dtype().storage(), sizeValues[b.size()]);
                };
            }
            code.run(buffers, sizeValues, context);
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < spec.outputs().size(); i++) {
                ModelSpec.IoSpec o = spec.outputs().get(i);
                long[] shape = new long[o.shape().size()];
                for (int d = 0; d < shape.length; d++) shape[d] = outputShapes.get(i).get(d).evaluate(dims);
                out.put(o.name(), tensor(o.dtype(), shape, buffers[o.buffer()]));
            }
            return out;
        } finally {
            // Drop references to the caller's inputs and outputs; keep the scratch arrays for the next call.
            Arrays.fill(buffers, null);
            pool.release(arena);
        }
    }

    private int size(int i, Map<String, Long> dims) {
        long v;
        try {
            v = sizes.get(i).evaluate(dims);
        } catch (ArithmeticException e) {
            throw new ModelRunException("size " + spec.sizes().get(i) + ": " + e.getMessage());
        }
        // Offsets and strides may be negative (padding, reversed slices); only buffer sizes must not be.
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE - 8) throw new ModelRunException("size " + spec.sizes().get(i) + " = " + v + " is out of range");
        return (int) v;
    }

    private static Tensor tensor(DType dtype, long[] shape, Object data) {
        return switch (dtype.storage()) {
            case FLOAT -> Tensor.ofFloats(dtype, shape, (float[]) data);
            case DOUBLE -> Tensor.ofDoubles(shape, (double[]) data);
            case LONG -> Tensor.ofLongs(dtype, shape, (long[]) data);
            case BOOLEAN -> Tensor.ofBooleans(shape, (boolean[]) data);
        };
    }

    /**
     * Runs the model {@code runs} times on {@code sample} so that the JIT compiles its code for
     * inputs of that shape before latency matters.
     */
    public void warmup(Map<String, Tensor> sample, int runs) {
        for (int i = 0; i < runs; i++) run(sample);
    }

    /**
     * Runs the model a few times on zero inputs, each named dim at 16 clamped into its bounds: loads
     * and links every class and kernel. For shape-specialized JIT warm-up use {@link #warmup(Map, int)}
     * with inputs of the shapes that will be run.
     */
    public void warmup() {
        Map<String, Long> dims = new HashMap<>();
        for (ModelSpec.DimSpec d : spec.dims()) {
            long v = 16;
            if (d.lo() != null) v = Math.max(v, d.lo());
            if (d.hi() != null) v = Math.min(v, d.hi());
            dims.put(d.name(), v);
        }
        Map<String, Tensor> sample = new LinkedHashMap<>();
        try {
            for (ModelSpec.IoSpec in : spec.inputs()) {
                long[] shape = new long[in.shape().size()];
                for (int d = 0; d < shape.length; d++) {
                    SizeExpr e = SizeExpr.parse(in.shape().get(d));
                    for (String name : e.variables()) dims.putIfAbsent(name, 16L);
                    shape[d] = e.evaluate(dims);
                }
                sample.put(in.name(), Tensor.zeros(in.dtype(), shape));
            }
            warmup(sample, 3);
        } catch (ModelInputException | ModelRunException | ArithmeticException e) {
            // Dims that do not fit together at these sizes: nothing to warm up with.
        }
    }

    @Override
    public String toString() {
        return "CompiledModel[" + spec.graphName() + ", " + spec.inputs().size() + " inputs, " + spec.outputs().size() + " outputs, threads="
                + threads() + "]";
    }
}
