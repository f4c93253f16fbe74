package dev.lathe.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.LowerOptions;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.RunOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every element type computes what the interpreter computes, bit for bit: f16 and bf16 round from
 * double after every op, integers wrap to their width, f64 is not rounded.
 */
class DtypesTest {
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F16", "BF16", "F64", "I64", "I32", "I8", "U8"})
    void arithmeticReductionsCastsAndProductsMatchTheInterpreterExactly(DType t) throws Exception {
        Provenance p = Provenance.NONE;
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", TensorType.of(t, 2, 3), p);
        Value y = g.input("y", TensorType.of(t, 3), p);
        Value s = g.op("add", List.of(x, y), Map.of(), p).getFirst();
        Value m = g.op("mul", List.of(s, x), Map.of(), p).getFirst();
        Value r = g.op("sum", List.of(m), Map.of("axes", List.of(Dim.of(1)), "keepdims", false), p).getFirst();
        Value n = g.op("neg", List.of(m), Map.of(), p).getFirst();
        Value c = g.op("cast", List.of(m), Map.of("dtype", "f32"), p).getFirst();
        Value last = t.isFloating() ? g.op("matmul", List.of(x, y), Map.of(), p).getFirst() : g.op("max", List.of(x, y), Map.of(), p).getFirst();
        Graph graph = g.build(List.of(r, n, c, last), List.of("r", "n", "c", "last"));
        Random rnd = new Random(3);
        double[] xv = new double[6], yv = new double[3];
        for (int i = 0; i < 6; i++) xv[i] = t.isFloating() ? rnd.nextGaussian() * 100 : rnd.nextInt(200) - 100;
        for (int i = 0; i < 3; i++) yv[i] = t.isFloating() ? rnd.nextGaussian() * 100 : rnd.nextInt(200) - 100;
        Map<String, Tensor> in = Map.of("x", Tensor.fromDoubles(t, new long[] {2, 3}, xv), "y", Tensor.fromDoubles(t, new long[] {3}, yv));
        Map<String, Tensor> expected = Interpreter.run(graph, in);
        for (LowerOptions o : List.of(LowerOptions.defaults(), LowerOptions.defaults().withRuntimeKernels(false))) {
            assertEquals(expected, JvmCompiler.compile(graph, "Dtypes", o, RunOptions.defaults()).run(in), t + " " + o);
        }
    }
}
