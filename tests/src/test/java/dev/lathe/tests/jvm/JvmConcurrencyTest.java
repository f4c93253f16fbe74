package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A compiled model is immutable and thread-safe: 8 threads calling it at once, each with its own
 * inputs of its own batch size (so scratch arenas grow differently), get exactly what sequential
 * calls give.
 */
class JvmConcurrencyTest {
    @Test
    void eightThreadsGetWhatSequentialCallsGet() throws Exception {
        for (String[] example : JvmTestSupport.EXAMPLES) {
            Graph graph = JvmTestSupport.load(example[1]);
            for (int threads : new int[] {1, 2}) {
                CompiledModel model = Lathe.compile(graph, "Concurrent", CompileOptions.defaults().withThreads(threads));
                List<Map<String, Tensor>> feeds = new ArrayList<>();
                List<Map<String, Tensor>> expected = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    feeds.add(JvmExamplesTest.randomBatch(graph, 1 + i % 3));
                    expected.add(model.run(feeds.get(i)));
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        int first = t;
                        results.add(pool.submit(() -> {
                            boolean same = true;
                            for (int round = 0; round < 6; round++) {
                                int i = (first + round) % 8;
                                same &= expected.get(i).equals(model.run(feeds.get(i)));
                            }
                            return same;
                        }));
                    }
                    for (Future<Boolean> f : results) assertEquals(true, f.get(), example[0] + " with " + threads + " kernel threads");
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }
}
