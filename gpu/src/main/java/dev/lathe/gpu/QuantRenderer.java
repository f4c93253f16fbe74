package dev.lathe.gpu;

import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel.QuantGemm} (runtime {@code QuantGemm}: {@code c[m, n] = a[m, k] · deq(q)ᵀ + bias},
 * {@code deq(q)[o, i] = (q[o, i] - zero) * scale} of cell {@code (perRow ? o : 0, i / group)}), reading
 * the packed weight bytes as stored ({@code QuantMatrix}'s layout: 8 bits one byte per value, 4 bits two
 * values per byte, the even index in the low nibble), one work-item per (row of a, output unit):
 * <ul>
 *   <li>weight-only: the bytes of a group are loaded with {@code vload4} (4 values at 8 bits, 8 at 4
 *       bits) where the group allows it, unpacked and dequantized in registers, and multiplied into an
 *       f32 {@code fma} chain, as the runtime's GEMV does;</li>
 *   <li>dynamic: a first kernel quantizes each row of a to int8 ({@code QuantGemm.quantizeRow}: scale
 *       max|x| / 127, round half to even, clamp to ±127) into scratch; the second sums each group's
 *       integer products exactly (in double, the sums are integers far below 2^53) and rescales as the
 *       runtime does: {@code (float) (sx · Σ_g s_og (Σ x̂ q - z_og Σ x̂) + bias)}.</li>
 * </ul>
 */
final class QuantRenderer {
    private QuantRenderer() {}

    static List<OpenClRenderer.Launch> render(KernelProgram p, Map<String, Long> env, Kernel.QuantGemm qg, String name, StringBuilder src,
                                             List<OpenClRenderer.Scratch> scratch) {
        long m = OpenClRenderer.ev(qg.m(), env), n = OpenClRenderer.ev(qg.n(), env), k = OpenClRenderer.ev(qg.k(), env);
        List<OpenClRenderer.Launch> launches = new ArrayList<>();
        if (m * n == 0) return launches;
        long group = qg.group(), groups = k == 0 ? 0 : k / group;
        long rowBytes = qg.bits() == 8 ? k : (k + 1) / 2;
        String q = "b" + qg.q();
        // the value at column P of output row o, as a float
        String value = qg.bits() == 8
                ? (qg.signed() ? "(float)as_char(" + q + "[o * " + rowBytes + "L + (P)])" : "(float)" + q + "[o * " + rowBytes + "L + (P)]")
                : qg.signed() ? "(float)(((char)(" + q + "[o * " + rowBytes + "L + (P) / 2] << (((P) & 1) ? 0 : 4))) >> 4)"
                : "(float)((" + q + "[o * " + rowBytes + "L + (P) / 2] >> (((P) & 1) ? 4 : 0)) & 15)";
        String cell = (qg.perRow() ? "o * " + groups + "L + " : "") + "gi";
        String zero = qg.zeros() >= 0 ? "b" + qg.zeros() + "[" + cell + "]" : "0.0f";
        String scale = "b" + qg.scales() + "[" + cell + "]";
        String bias = qg.bias() >= 0 ? "b" + qg.bias() + "[o]" : null;

        if (!qg.dynamic()) {
            List<Integer> args = OpenClRenderer.distinct(List.of(qg.a(), qg.q(), qg.scales(), qg.zeros(), qg.bias(), qg.c()));
            src.append("\n#define QV(P) (").append(value).append(")\n");
            src.append("__kernel void ").append(name).append('(').append(OpenClRenderer.params(p, args, qg.c())).append(") {\n");
            src.append("  const long g = get_global_id(0); const long o = g % ").append(n).append("L, t = g / ").append(n).append("L;\n");
            src.append("  __global const float* ar = b").append(qg.a()).append(" + t * ").append(k).append("L;\n");
            src.append("  float acc = 0.0f;\n");
            src.append("  for (long gi = 0; gi < ").append(groups).append("L; gi++) {\n");
            src.append("    const float s = ").append(scale).append(", z = ").append(zero).append(";\n");
            src.append("    const long p0 = gi * ").append(group).append("L;\n");
            int step = qg.bits() == 8 ? 4 : 8;
            if (group % step == 0) {
                src.append("    for (long pp = 0; pp < ").append(group).append("L; pp += ").append(step).append(") {\n");
                src.append("      const long P = p0 + pp;\n");
                if (qg.bits() == 8) {
                    src.append("      const uchar4 raw = vload4(0, ").append(q).append(" + o * ").append(rowBytes).append("L + P);\n");
                    src.append("      const float4 w = (").append(qg.signed() ? "convert_float4(as_char4(raw))" : "convert_float4(raw)").append(" - z) * s;\n");
                    src.append("      const float4 av = vload4(0, ar + P);\n");
                    src.append("      acc = fma(av.s0, w.s0, acc); acc = fma(av.s1, w.s1, acc); acc = fma(av.s2, w.s2, acc); acc = fma(av.s3, w.s3, acc);\n");
                } else {
                    src.append("      const uchar4 raw = vload4(0, ").append(q).append(" + o * ").append(rowBytes).append("L + P / 2);\n");
                    if (qg.signed()) {
                        src.append("      const char4 lo = as_char4(raw << (uchar4)(4)) >> (char4)(4), hi = as_char4(raw) >> (char4)(4);\n");
                    } else {
                        src.append("      const uchar4 lo = raw & (uchar4)(15), hi = raw >> (uchar4)(4);\n");
                    }
                    src.append("      const float4 wl = (convert_float4(lo) - z) * s, wh = (convert_float4(hi) - z) * s;\n");
                    src.append("      const float8 av = vload8(0, ar + P);\n");
                    src.append("      acc = fma(av.s0, wl.s0, acc); acc = fma(av.s1, wh.s0, acc); acc = fma(av.s2, wl.s1, acc); acc = fma(av.s3, wh.s1, acc);\n");
                    src.append("      acc = fma(av.s4, wl.s2, acc); acc = fma(av.s5, wh.s2, acc); acc = fma(av.s6, wl.s3, acc); acc = fma(av.s7, wh.s3, acc);\n");
                }
                src.append("    }\n");
            } else {
                src.append("    for (long P = p0; P < p0 + ").append(group).append("L; P++) acc = fma(ar[P], (QV(P) - z) * s, acc);\n");
            }
            src.append("  }\n");
            src.append("  b").append(qg.c()).append("[t * ").append(n).append("L + o] = acc").append(bias != null ? " + " + bias : "").append(";\n");
            src.append("}\n#undef QV\n");
            launches.add(new OpenClRenderer.Launch(name, qg.label(), args, new long[] {m * n}));
            return launches;
        }

        // dynamic int8 activations: quantize each row of a into scratch (x̂ as floats, then the row's scale)
        int xq = scratch.size();
        scratch.add(new OpenClRenderer.Scratch(Math.max(1, m * k) * 8, null));
        int sx = scratch.size();
        scratch.add(new OpenClRenderer.Scratch(Math.max(1, m) * 8, null));
        List<Integer> args1 = List.of(qg.a(), OpenClRenderer.scratchArg(xq), OpenClRenderer.scratchArg(sx));
        String n1 = name + "_quantize";
        src.append("\n__kernel void ").append(n1).append('(').append(OpenClRenderer.params(args1, -1)).append(") {\n");
        src.append("  const long t = get_global_id(0);\n");
        src.append("  __global const float* x = b").append(qg.a()).append(" + t * ").append(k).append("L;\n");
        src.append("  __global real* xq = lt_s").append(xq).append(" + t * ").append(k).append("L;\n");
        // Math.max propagates NaN, fmax would drop it
        src.append("  float amax = 0.0f; for (long p = 0; p < ").append(k).append("L; p++) { const float v = fabs(x[p]); amax = (isnan(v) || isnan(amax)) ? NAN : fmax(amax, v); }\n");
        src.append("  const float s = amax / 127.0f;\n");
        src.append("  lt_s").append(sx).append("[t] = s;\n");
        src.append("  for (long p = 0; p < ").append(k).append("L; p++) { const float r = rint(x[p] / s);")
                .append(" xq[p] = s == 0.0f ? 0 : isnan(r) ? NAN : fmax(-127.0f, fmin(127.0f, r)); }\n");
        src.append("}\n");
        launches.add(new OpenClRenderer.Launch(n1, qg.label() + " (quantize rows)", args1, new long[] {m}));

        List<Integer> args2 = new ArrayList<>(OpenClRenderer.distinct(List.of(qg.q(), qg.scales(), qg.zeros(), qg.bias(), qg.c())));
        args2.add(OpenClRenderer.scratchArg(xq));
        args2.add(OpenClRenderer.scratchArg(sx));
        String n2 = name + "_dynamic";
        src.append("\n#define QV(P) (").append(value).append(")\n");
        src.append("__kernel void ").append(n2).append('(').append(OpenClRenderer.params(p, args2, qg.c())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long o = g % ").append(n).append("L, t = g / ").append(n).append("L;\n");
        src.append("  __global const real* xr = lt_s").append(xq).append(" + t * ").append(k).append("L;\n");
        src.append("  real acc = 0;\n");
        src.append("  for (long gi = 0; gi < ").append(groups).append("L; gi++) {\n");
        src.append("    real dot = 0, xs = 0;\n");
        src.append("    for (long P = gi * ").append(group).append("L; P < (gi + 1) * ").append(group).append("L; P++) { const real xv = xr[P]; dot += xv * (real)QV(P); xs += xv; }\n");
        src.append("    acc += (real)").append(scale).append(" * (dot - (real)").append(zero).append(" * xs);\n");
        src.append("  }\n");
        src.append("  b").append(qg.c()).append("[t * ").append(n).append("L + o] = (float)((real)lt_s").append(sx).append("[t] * acc")
                .append(bias != null ? " + (real)" + bias : "").append(");\n");
        src.append("}\n#undef QV\n");
        launches.add(new OpenClRenderer.Launch(n2, qg.label(), args2, new long[] {m * n}));
        return launches;
    }
}
