package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} gets the scalar kernels and runs
 * every facade, rather than failing with NoClassDefFoundError.
 */
class WithoutVectorModuleTest {
    /** Run in the child JVM: calls each facade once and prints the chosen implementation. */
    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        Gemm.gemm(2, Gemm.pack(b, 0, 2, 2, false).k(), 2, a, 0, 2, false, b, 0, 2, false, c, 0, 2);
        Gemm.gemm(2, a, 0, 2, Gemm.pack(b, 0, 2, 2, true), c, 0, 2, Epilogue.of(Activation.GELU_ERF), Parallelism.of(2));
        Softmax.rows(a, 0, 2, 2, c, 0);
        LayerNorm.rows(a, 0, 2, 2, null, null, 1e-5f, c, 0);
        RmsNorm.rows(a, 0, 2, 2, null, 1e-5f, c, 0);
        Activations.apply(Activation.TANH, a, 0, 4, c, 0);
        Activations.exp(a, 0, 4, c, 0);
        Conv2d.forward(a, 0, 1, 1, 2, 2, b, 0, 1, 2, 2, null, 0, ConvGeometry.DEFAULT, Activation.NONE, c, 0, Parallelism.SERIAL);
        Attention.forward(a, 0, b, 0, b, 0, 1, 2, 2, 1, 2, 2, 1f, true, null, c, 0, Parallelism.SERIAL);
        BatchedMatMul.matmul(2, 1, 1, 2, a, 0, 2, 2, false, b, 0, 2, 1, false, c, 0, 1, 1, Parallelism.SERIAL);
        for (int method = 0; method < 4; method++) {
            LinearAttention.forward(a, b, b, 1, 2, 2, 1, 2, 2, method, 2, 1, method != LinearAttention.NYSTROM, Double.NaN, c, Parallelism.SERIAL);
        }
        System.out.println(Kernels.vectorized() + " " + Kernels.describe());
    }

    @Test
    void scalarKernelsRunWithoutTheIncubatorModule() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), WithoutVectorModuleTest.class.getName()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("false scalar"), output);
    }
}
