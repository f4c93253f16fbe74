package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §6: HotSpot never JIT-compiles a method above 8,000 bytes of bytecode. Every kernel method
 * must stay well below; this keeps the unrolled micro-kernels honest.
 */
class MethodSizeTest {
    private static final int LIMIT = 4000;

    @Test
    void everyKernelMethodIsWellBelowTheJitLimit() throws IOException {
        List<Class<?>> classes = List.of(GemmVector.class, GemmPackVector.class, VectorSums.class, GemmScalar.class, ActivationsVector.class, ActivationsScalar.class,
                RowOpsVector.class, RowOpsScalar.class, AttentionVector.class, AttentionScalar.class, ConvVector.class, ConvScalar.class, ConvDirectVector.class, PoolVector.class, PoolScalar.class,
                Gemm.class, PackedMatrix.class, Parallelism.class, LinearAttentionProductsVector.class, LinearAttentionProductsScalar.class,
                LinearAttentionFeatureMaps.class);
        List<String> tooBig = new ArrayList<>();
        int largest = 0;
        for (Class<?> c : classes) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                ClassModel model = ClassFile.of().parse(in.readAllBytes());
                for (MethodModel m : model.methods()) {
                    int size = m.findAttribute(java.lang.classfile.Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
                    largest = Math.max(largest, size);
                    if (size > LIMIT) tooBig.add(c.getSimpleName() + "." + m.methodName().stringValue() + ": " + size + " bytes");
                }
            }
        }
        assertTrue(tooBig.isEmpty(), "methods above " + LIMIT + " bytes of bytecode: " + tooBig);
        assertTrue(largest > 500, "the check found the micro-kernels (largest method " + largest + " bytes)");
    }
}
