package dev.lathe.gpu;

import dev.lathe.lower.Kernel;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel.Conv} (runtime {@code Conv2d.forward}'s definition) as a direct NCHW convolution: one
 * work-item per (batch, block of output channels, output row, output column), the column fastest so
 * neighbouring work-items read neighbouring input pixels. A block holds 8 (or 4) output channels of one
 * group in a {@code float8}/{@code float4} accumulator, so each input pixel loaded is used for all of
 * them; groups whose channel count is not a multiple of 4 (depthwise included) use one channel per
 * work-item. Every size is a literal, so the kernel window unrolls; padded positions are skipped (they
 * add 0). The bias and activation are applied to the finished sum, as in the runtime's epilogue. With
 * {@code maxPool2x2} (the lowering's conv + max-pool fusion) a work-item owns one pooled output and keeps
 * the largest activated value of its four convolution positions (NaN wins, as in Java's Math.max).
 */
final class ConvRenderer {
    private ConvRenderer() {}

    static OpenClRenderer.Launch render(Map<String, Long> env, Kernel.Conv c, String name, StringBuilder src) {
        long batch = OpenClRenderer.ev(c.batch(), env), cin = OpenClRenderer.ev(c.cin(), env), h = OpenClRenderer.ev(c.h(), env), w = OpenClRenderer.ev(c.w(), env);
        long cout = OpenClRenderer.ev(c.cout(), env), kh = OpenClRenderer.ev(c.kh(), env), kw = OpenClRenderer.ev(c.kw(), env);
        int sh = c.stride().get(0), sw = c.stride().get(1), pt = c.pads().get(0), pl = c.pads().get(1), pb = c.pads().get(2), pr = c.pads().get(3);
        int dh = c.dilation().get(0), dw = c.dilation().get(1), groups = c.groups();
        long oh = (h + pt + pb - ((long) dh * (kh - 1) + 1)) / sh + 1, ow = (w + pl + pr - ((long) dw * (kw - 1) + 1)) / sw + 1;
        boolean pool = c.maxPool2x2();
        long rows = pool ? oh / 2 : oh, cols = pool ? ow / 2 : ow;
        if (batch == 0 || cout == 0 || rows <= 0 || cols <= 0) return null;
        long cg = cin / groups, og = cout / groups;
        int vec = og % 8 == 0 ? 8 : og % 4 == 0 ? 4 : 1;
        String vt = vec == 1 ? "float" : "float" + vec;
        long blocks = cout / vec;
        long wStride = cg * kh * kw; // weight floats per output channel
        List<Integer> args = OpenClRenderer.distinct(List.of(c.x(), c.weight(), c.bias(), c.out()));
        String x = "b" + c.x(), wt = "b" + c.weight(), out = "b" + c.out();
        src.append("\n__kernel void ").append(name).append('(').append(OpenClRenderer.params(args, c.out())).append(") {\n");
        src.append("  long g = get_global_id(0);\n");
        src.append("  const long px = g % ").append(cols).append("L; g /= ").append(cols).append("L;\n");
        src.append("  const long py = g % ").append(rows).append("L; g /= ").append(rows).append("L;\n");
        src.append("  const long o0 = (g % ").append(blocks).append("L) * ").append(vec).append("L, bb = g / ").append(blocks).append("L;\n");
        src.append("  const long grp = o0 / ").append(og).append("L;\n");
        src.append("  __global const float* xp = ").append(x).append(" + (bb * ").append(cin).append("L + grp * ").append(cg).append("L) * ").append(h * w).append("L;\n");
        src.append("  __global const float* wp = ").append(wt).append(" + o0 * ").append(wStride).append("L;\n");
        int act = OpenClRenderer.actCode(c.activation());
        src.append("  float m[").append(vec).append("];\n");
        src.append("  for (int v = 0; v < ").append(vec).append("; v++) m[v] = -INFINITY;\n");
        src.append("  for (int q = 0; q < ").append(pool ? 4 : 1).append("; q++) {\n");
        src.append(pool ? "  const long oy = py * 2 + q / 2, ox = px * 2 + q % 2;\n" : "  const long oy = py, ox = px;\n");
        src.append("  ").append(vt).append(" acc = (").append(vt).append(")(0.0f);\n");
        src.append("  const long iy0 = oy * ").append(sh).append("L - ").append(pt).append("L, ix0 = ox * ").append(sw).append("L - ").append(pl).append("L;\n");
        src.append("  for (long ci = 0; ci < ").append(cg).append("L; ci++) {\n");
        src.append("    __global const float* xc = xp + ci * ").append(h * w).append("L;\n");
        src.append("    __global const float* wc = wp + ci * ").append(kh * kw).append("L;\n");
        src.append("    #pragma unroll\n");
        src.append("    for (int ky = 0; ky < ").append(kh).append("; ky++) {\n");
        src.append("      const long iy = iy0 + ky * ").append(dh).append("L;\n");
        src.append("      if (iy < 0 || iy >= ").append(h).append("L) continue;\n");
        src.append("      #pragma unroll\n");
        src.append("      for (int kx = 0; kx < ").append(kw).append("; kx++) {\n");
        src.append("        const long ix = ix0 + kx * ").append(dw).append("L;\n");
        src.append("        if (ix < 0 || ix >= ").append(w).append("L) continue;\n");
        src.append("        const float xv = xc[iy * ").append(w).append("L + ix];\n");
        src.append("        __global const float* wk = wc + ky * ").append(kw).append(" + kx;\n");
        if (vec == 1) {
            src.append("        acc = fma(xv, wk[0], acc);\n");
        } else {
            src.append("        const ").append(vt).append(" wv = (").append(vt).append(")(");
            for (int v = 0; v < vec; v++) src.append(v == 0 ? "" : ", ").append("wk[").append(v * wStride).append(']');
            src.append(");\n");
            src.append("        acc = fma((").append(vt).append(")(xv), wv, acc);\n");
        }
        src.append("      }\n    }\n  }\n");
        src.append("  float t[").append(vec).append("];\n");
        src.append(vec == 1 ? "  t[0] = acc;\n" : "  vstore" + vec + "(acc, 0, t);\n");
        src.append("  for (int v = 0; v < ").append(vec).append("; v++) {\n");
        src.append("    const float r = lt_act(").append(act).append(", t[v]").append(c.bias() >= 0 ? " + b" + c.bias() + "[o0 + v]" : "").append(");\n");
        src.append("    m[v] = (isnan(r) || r > m[v]) ? r : m[v];\n");
        src.append("  }\n");
        src.append("  }\n");
        src.append("  __global float* op = ").append(out).append(" + ((bb * ").append(cout).append("L + o0) * ").append(rows).append("L + py) * ").append(cols)
                .append("L + px;\n");
        src.append("  for (int v = 0; v < ").append(vec).append("; v++) op[v * ").append(rows * cols).append("L] = m[v];\n");
        src.append("}\n");
        return new OpenClRenderer.Launch(name, c.label(), args, new long[] {batch * blocks * rows * cols});
    }
}
