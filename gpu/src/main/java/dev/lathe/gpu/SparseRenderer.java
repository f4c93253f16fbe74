package dev.lathe.gpu;

import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel.SparseGemm} (runtime {@code SparseGemm}: {@code y[m, out] = x[m, in] · Wᵀ + bias} with W
 * in CSR, 1x1 blocks, or BSR): one work-item per (row of x, output unit), the unit fastest so the
 * work-items of a group read the same x row; each sums its row's stored entries in storage order
 * (an f32 {@code fma} chain), then adds the bias and applies the fused activation, as the runtime's epilogue. The indices and pointers (i32 weights) are held as
 * {@code long}. The masked dense weight the JVM backend switches to for large batches is not used:
 * the sparse product is the same function.
 */
final class SparseRenderer {
    private SparseRenderer() {}

    static OpenClRenderer.Launch render(KernelProgram p, Map<String, Long> env, Kernel.SparseGemm s, String name, StringBuilder src) {
        long m = OpenClRenderer.ev(s.m(), env);
        long out = s.out(), in = s.in(), br = s.blockRows(), bc = s.blockCols();
        if (m * out == 0) return null;
        List<Integer> args = OpenClRenderer.distinct(List.of(s.x(), s.values(), s.indices(), s.pointers(), s.bias(), s.y()));
        src.append("\n__kernel void ").append(name).append('(').append(OpenClRenderer.params(p, args, s.y())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long o = g % ").append(out).append("L, t = g / ").append(out).append("L;\n");
        src.append("  const long rb = o / ").append(br).append("L, i = o % ").append(br).append("L;\n");
        src.append("  __global const float* xr = b").append(s.x()).append(" + t * ").append(in).append("L;\n");
        src.append("  float acc = 0.0f;\n");
        src.append("  const long e1 = b").append(s.pointers()).append("[rb + 1];\n");
        src.append("  for (long e = b").append(s.pointers()).append("[rb]; e < e1; e++) {\n");
        if (br == 1 && bc == 1) {
            src.append("    acc = fma(b").append(s.values()).append("[e], xr[b").append(s.indices()).append("[e]], acc);\n");
        } else {
            src.append("    __global const float* v = b").append(s.values()).append(" + (e * ").append(br).append("L + i) * ").append(bc).append("L;\n");
            src.append("    __global const float* xc = xr + b").append(s.indices()).append("[e] * ").append(bc).append("L;\n");
            src.append("    for (int j = 0; j < ").append(bc).append("; j++) acc = fma(v[j], xc[j], acc);\n");
        }
        src.append("  }\n");
        src.append("  b").append(s.y()).append("[t * ").append(out).append("L + o] = lt_act(").append(OpenClRenderer.actCode(s.activation())).append(", acc")
                .append(s.bias() >= 0 ? " + b" + s.bias() + "[o]" : "").append(");\n");
        src.append("}\n");
        return new OpenClRenderer.Launch(name, s.label(), args, new long[] {m * out});
    }
}
