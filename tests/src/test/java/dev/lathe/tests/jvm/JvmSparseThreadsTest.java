package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.ModelSpec;
import dev.lathe.runtime.model.WeightPacking;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MLP example with all three layers sparse (forced), each CSR weight laid out at load from its own
 * parts (no layer shares a values, index or pointer tensor with another), run from 2 threads at once
 * at 1 row (the row-slice schedule with the Vector API) and 3 rows: every call agrees with the
 * interpreter and gives the same bits as the same input run alone.
 */
class JvmSparseThreadsTest {
    private static Graph sparsified(String statement) {
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        LoadedModel loaded = Lathe.load(JvmTestSupport.root().resolve("examples/mlp/mlp.model"), LoadOptions.defaults().withExtraPasses(List.of(s)));
        return PassPipeline.standard().run(Lathe.requireBound(loaded), loaded.plan()).graph();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparsify(sparsity = 0.9) on \"fc*.weight\"", "sparsify(pattern = \"2:4\") on \"fc*.weight\""})
    void severalSparseLayersRunFromTwoThreads(String statement) throws Exception {
        Graph g = sparsified(statement);
        CompiledModel model;
        System.setProperty("lathe.sparse", "sparse");
        try {
            assertEquals(3, Lowering.lower(g, LowerOptions.defaults()).kernels().stream().filter(k -> k instanceof Kernel.SparseGemm).count());
            model = Lathe.compile(g, "SparseThreads", CompileOptions.defaults());
        } finally {
            System.clearProperty("lathe.sparse");
        }
        // Each layer's values load as a CsrWeight naming its own index and pointer tensors.
        List<String> csr = model.spec().buffers().stream().map(ModelSpec.BufferSpec::packing).filter(p -> p.startsWith(WeightPacking.CSR_PREFIX)).toList();
        assertEquals(3, csr.size(), model.spec().format());
        Set<String> parts = new HashSet<>();
        for (String p : csr) {
            String[] f = p.split(":");
            assertTrue(parts.add(f[2]) && parts.add(f[3]), "parts shared between layers: " + csr);
        }

        List<Map<String, Tensor>> feeds = new ArrayList<>();
        for (long rows : new long[] {1, 3, 1, 1}) {
            Map<String, Tensor> in = JvmExamplesTest.randomBatch(g, rows);
            // distinct inputs per feed: scale by the feed's index
            float scale = 1 + feeds.size() * 0.25f;
            Tensor x = in.get("x");
            float[] v = x.toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] *= scale;
            feeds.add(Map.of("x", Tensor.ofFloats(x.shape(), v)));
        }
        List<Map<String, Tensor>> alone = new ArrayList<>();
        for (Map<String, Tensor> in : feeds) {
            Map<String, Tensor> out = model.run(in);
            JvmTestSupport.assertClose(Interpreter.run(g, in), out, statement + " rows " + in.get("x").dim(0));
            alone.add(out);
        }

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                int first = thread;
                runs.add(pool.submit(() -> {
                    for (int call = 0; call < 40; call++) {
                        int f = (first + call) % feeds.size();
                        float[] got = model.run(feeds.get(f)).get("logits").toFloatArray();
                        assertArrayEquals(alone.get(f).get("logits").toFloatArray(), got, statement + ": feed " + f + " call " + call);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) run.get();
        } finally {
            pool.shutdown();
        }
    }
}
