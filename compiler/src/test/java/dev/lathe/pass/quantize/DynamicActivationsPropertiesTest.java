package dev.lathe.pass.quantize;

import static dev.lathe.pass.Reports.bound;
import static dev.lathe.pass.Reports.only;
import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Value;
import dev.lathe.lower.LowerOptions;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.Plans;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.RunOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quantize(activations = "dynamic")} on random linear layers: the interpreter's output stays
 * within the certificate's closed-form bound of the f32 layer (weight error plus int8 activation
 * rounding, per unit of each row's max|x|), and the JVM backend's integer kernel agrees with the
 * interpreter within DESIGN.md §4.
 */
class DynamicActivationsPropertiesTest {
    private static final String[] STATEMENTS = {
        "quantize(bits = 8, activations = \"dynamic\") on \"w\"",
        "quantize(bits = 8, symmetric = false, activations = \"dynamic\") on \"w\"",
        "quantize(bits = 4, granularity = \"group\", group = %d, activations = \"dynamic\") on \"w\"",
        "quantize(bits = 4, symmetric = false, granularity = \"tensor\", activations = \"dynamic\") on \"w\"",
    };

    @Test
    void outputsStayWithinTheCertificateAndTheJvmAgrees() {
        qt().withFixedSeed(5).withExamples(24)
                .forAll(longs().all(), integers().between(1, 12), integers().between(1, 3), integers().between(1, 5))
                .checkAssert((seed, out, groups, rows) -> {
                    int group = 32 << (int) Math.floorMod(seed, 3L); // the pass allows 32, 64, 128
                    int in = groups * group;
                    TestGraph t = new TestGraph();
                    Value x = t.input("x", f32(B, in));
                    Graph g = t.build(t.op("linear", x, t.param("w", gaussian(seed, out, in)), t.param("b", gaussian(seed + 1, out))));
                    String stmt = String.format(java.util.Locale.ROOT, STATEMENTS[(int) Math.floorMod(seed >> 3, (long) STATEMENTS.length)], group);
                    PipelineResult r = Plans.run(g, stmt);
                    if (!only(r).applied()) return; // unprofitable at this size: nothing to check
                    if (!IrVerifier.verify(r.graph()).isEmpty()) throw new AssertionError(IrVerifier.verify(r.graph()).toString());
                    double cert = bound(only(r), "max |x W^T - x^ deq(Q(W))^T| / max|x| per row");
                    Tensor xs = gaussian(seed + 2, rows, in);
                    Map<String, Tensor> feed = Map.of("x", xs);
                    float[] exact = Interpreter.run(g, feed).get("y").toFloatArray();
                    float[] quantized = Interpreter.run(r.graph(), feed).get("y").toFloatArray();
                    float[] jvm = JvmCompiler.compile(r.graph(), "Dynamic", LowerOptions.defaults(), RunOptions.defaults()).run(feed).get("y")
                            .toFloatArray();
                    float[] xv = xs.toFloatArray();
                    for (int i = 0; i < rows; i++) {
                        double amax = 0;
                        for (int p = 0; p < in; p++) amax = Math.max(amax, Math.abs(xv[i * in + p]));
                        for (int o = 0; o < out; o++) {
                            int e = i * out + o;
                            double slack = 1e-5 + 1e-4 * Math.abs(exact[e]);
                            if (Math.abs(exact[e] - quantized[e]) > amax * cert + slack) {
                                throw new AssertionError(stmt + ": row " + i + " output " + o + " moved " + Math.abs(exact[e] - quantized[e])
                                        + ", certificate " + amax * cert);
                            }
                            if (Math.abs(jvm[e] - quantized[e]) > 1e-5 + 1e-4 * Math.abs(quantized[e])) {
                                throw new AssertionError(stmt + ": jvm " + jvm[e] + " vs interpreter " + quantized[e] + " at " + e);
                            }
                        }
                    }
                });
    }
}
