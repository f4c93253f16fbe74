package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/** Shared helpers of the JVM backend's cross-module tests. */
final class JvmTestSupport {
    /** The examples: name, model file, output name. */
    static final String[][] EXAMPLES = {
        {"mlp", "examples/mlp/mlp.model", "logits"},
        {"small_cnn", "examples/cnn/small_cnn.model", "logits"},
        {"tiny_encoder", "examples/encoder/tiny_encoder.model", "output"},
    };

    private JvmTestSupport() {}

    /** The repository root: the nearest folder above the working directory holding {@code mvnw}. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the lathe checkout");
        return p;
    }

    static Graph load(String model) {
        return Lathe.requireBound(Lathe.load(root().resolve(model), LoadOptions.defaults()));
    }

    /** Every element within DESIGN.md §4: abs 1e-5 + rel 1e-4. */
    static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name), a = actual.get(name);
            assertEquals(e.dtype(), a.dtype(), what + " " + name);
            assertArrayEquals(e.shape(), a.shape(), what + " " + name);
            for (int i = 0; i < e.size(); i++) {
                double x = e.getDouble(i), y = a.getDouble(i);
                boolean ok = Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(x) || (Double.isNaN(x) && Double.isNaN(y)) || x == y;
                assertTrue(ok, what + " " + name + "[" + i + "] = " + y + ", expected " + x);
            }
        }
    }

    /** CheckClassAdapter's verification of a class file; empty when valid. */
    static String verify(byte[] bytes) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), JvmTestSupport.class.getClassLoader(), false, new PrintWriter(out));
        return out.toString();
    }
}
