package dev.lathe.bench;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference interpreter against the compiled model (one thread) on the same graph and inputs,
 * for the "compiled at least 20x faster than the interpreter" target. The interpreter takes seconds
 * per call, so a few sampled calls are enough. Setup fails unless the two agree within
 * abs 1e-5 + rel 1e-4 per element.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class InterpreterComparison {
    @Param({"encoder_s128"})
    public String model;

    private Graph graph;
    private Map<String, Tensor> inputs;
    private CompiledModel compiled;

    @Setup(Level.Trial)
    public void setup() {
        BenchModels.Prepared prepared = BenchModels.example(model);
        graph = prepared.graph();
        inputs = prepared.inputs();
        compiled = prepared.compile(1);
        Map<String, float[]> reference = new LinkedHashMap<>();
        Interpreter.run(graph, inputs).forEach((name, t) -> reference.put(name, t.toFloatArray()));
        Agreement a = Agreement.of(compiled.run(inputs), reference).require(model + " lathe vs interpreter");
        System.out.println("agreement " + model + " lathe vs interpreter: " + a);
    }

    @Benchmark
    public Map<String, Tensor> interpreter() {
        return Interpreter.run(graph, inputs);
    }

    @Benchmark
    public Map<String, Tensor> lathe() {
        return compiled.run(inputs);
    }
}
