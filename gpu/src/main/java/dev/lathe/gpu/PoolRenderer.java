package dev.lathe.gpu;

import dev.lathe.lower.Kernel;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel.Pool} (runtime {@code Pool2d.forward}'s definition, the interpreter's rules): one work-item
 * per output element; padded positions are never read, max keeps NaN (as Java's Math.max does) and starts
 * at -inf, the average divides by the positions inside x (a window wholly in the padding gives 0 / 0 = NaN).
 */
final class PoolRenderer {
    private PoolRenderer() {}

    static OpenClRenderer.Launch render(Map<String, Long> env, Kernel.Pool p, String name, StringBuilder src) {
        long planes = OpenClRenderer.ev(p.batch(), env) * OpenClRenderer.ev(p.channels(), env);
        long h = OpenClRenderer.ev(p.h(), env), w = OpenClRenderer.ev(p.w(), env);
        int sh = p.stride().get(0), sw = p.stride().get(1), pt = p.pads().get(0), pl = p.pads().get(1), pb = p.pads().get(2), pr = p.pads().get(3);
        long oh = (h + pt + pb - p.kh()) / sh + 1, ow = (w + pl + pr - p.kw()) / sw + 1;
        if (planes == 0 || oh <= 0 || ow <= 0) return null;
        List<Integer> args = OpenClRenderer.distinct(List.of(p.x(), p.out()));
        src.append("\n__kernel void ").append(name).append('(').append(OpenClRenderer.params(args, p.out())).append(") {\n");
        src.append("  long g = get_global_id(0);\n");
        src.append("  const long ox = g % ").append(ow).append("L; g /= ").append(ow).append("L;\n");
        src.append("  const long oy = g % ").append(oh).append("L, plane = g / ").append(oh).append("L;\n");
        src.append("  __global const float* xp = b").append(p.x()).append(" + plane * ").append(h * w).append("L;\n");
        src.append("  float acc = ").append(p.max() ? "-INFINITY" : "0.0f").append(";\n");
        src.append("  int count = 0;\n");
        src.append("  for (int ky = 0; ky < ").append(p.kh()).append("; ky++) {\n");
        src.append("    const long iy = oy * ").append(sh).append("L - ").append(pt).append("L + ky;\n");
        src.append("    if (iy < 0 || iy >= ").append(h).append("L) continue;\n");
        src.append("    for (int kx = 0; kx < ").append(p.kw()).append("; kx++) {\n");
        src.append("      const long ix = ox * ").append(sw).append("L - ").append(pl).append("L + kx;\n");
        src.append("      if (ix < 0 || ix >= ").append(w).append("L) continue;\n");
        src.append("      const float v = xp[iy * ").append(w).append("L + ix];\n");
        src.append(p.max() ? "      acc = (isnan(v) || v > acc) ? v : acc;\n" : "      acc += v;\n");
        src.append("      count++;\n");
        src.append("    }\n  }\n");
        src.append("  b").append(p.out()).append("[(plane * ").append(oh).append("L + oy) * ").append(ow).append("L + ox] = ")
                .append(p.max() ? "acc" : "acc / (float) count").append(";\n");
        src.append("}\n");
        return new OpenClRenderer.Launch(name, p.label(), args, new long[] {planes * oh * ow});
    }
}
