package dev.lathe.gpu;

import dev.lathe.lower.Kernel;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.kernels.LinearAttention;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Kernel.LinearAttention} (runtime {@code LinearAttention.forward}'s definition, computed in
 * double as the runtime does, so devices need {@code cl_khr_fp64}):
 * <ul>
 *   <li>ELU+1 and FAVOR+: a feature kernel writes phi of every q and k row of every (batch, head)
 *       into a scratch buffer (FAVOR+: the runtime's random features, uploaded once per program; a
 *       query row stabilized by its own largest exponent); for FAVOR+ a second kernel, one work-item
 *       per head, stabilizes the keys by the largest exponent over the head's keys; then one work-item
 *       per query row sums {@code a_j = phi(q_i) . phi(k_j)} over the visible keys (all, or when
 *       causal those at positions up to i's): {@code out_i = sum_j a_j v_j / sum_j a_j}, zeros when
 *       the denominator is 0. This is the runtime's quadratic form, equal to its prefix-sum form up
 *       to double rounding: O(sq sk f) work, not linear in the sequence;</li>
 *   <li>window: exact softmax attention over the keys within the window, one work-item per query row;</li>
 *   <li>Nystrom is refused.</li>
 * </ul>
 * Value heads are accumulated in private arrays, so dv is limited to {@link #MAX_DV}.
 */
final class LinearAttentionRenderer {
    static final long MAX_DV = 128;

    private LinearAttentionRenderer() {}

    static void check(Kernel.LinearAttention a, boolean fp64) {
        if (a.method() == LinearAttention.NYSTROM) {
            throw new UnsupportedOpException("linear_attention", "the opencl backend does not render nystrom linear attention (kernel '" + a.label()
                    + "'); use --backend jvm or auto");
        }
        if (!fp64) {
            throw new UnsupportedOpException("linear_attention", "the opencl backend renders linear attention in double only, and this device has no cl_khr_fp64");
        }
        if (a.method() != LinearAttention.ELU && a.method() != LinearAttention.FAVOR && a.method() != LinearAttention.WINDOW) {
            throw new UnsupportedOpException("linear_attention", "the opencl backend does not know linear attention method " + a.method());
        }
    }

    static List<OpenClRenderer.Launch> render(Map<String, Long> env, Kernel.LinearAttention a, String name, StringBuilder src, List<OpenClRenderer.Scratch> scratch) {
        long batch = OpenClRenderer.ev(a.batch(), env), sq = OpenClRenderer.ev(a.sq(), env), sk = OpenClRenderer.ev(a.sk(), env);
        long dh = OpenClRenderer.ev(a.dh(), env), dv = OpenClRenderer.ev(a.dv(), env);
        long heads = a.heads();
        if (dv > MAX_DV) {
            throw new UnsupportedOpException("linear_attention", "the opencl backend renders linear attention for value heads up to " + MAX_DV + " wide, got " + dv);
        }
        List<OpenClRenderer.Launch> launches = new ArrayList<>();
        if (batch * sq * dv == 0) return launches;
        double scale = Double.isNaN(a.scale()) ? 1 / Math.sqrt(dh) : a.scale();
        if (a.method() == LinearAttention.WINDOW) {
            launches.add(window(a, name, src, batch, sq, sk, heads, dh, dv, scale));
            return launches;
        }
        boolean favor = a.method() == LinearAttention.FAVOR;
        long f = favor ? a.size() : dh; // features per row
        long rows = sq + sk;
        int phi = scratch.size();
        scratch.add(new OpenClRenderer.Scratch(Math.max(1, batch * heads * rows * f) * 8, null));
        int w = -1;
        if (favor) {
            w = scratch.size();
            double[] features = LinearAttention.favorFeatures(a.size(), Math.toIntExact(dh), a.seed());
            scratch.add(new OpenClRenderer.Scratch(features.length * 8L, features));
        }
        String d = heads * dh + "L", dvAll = heads * dv + "L";
        String phiBuf = "lt_s" + phi;

        // 1. features of every q row (first sq rows of a head) and k row (next sk rows)
        List<Integer> args1 = new ArrayList<>(List.of(a.q(), a.k(), OpenClRenderer.scratchArg(phi)));
        if (favor) args1.add(OpenClRenderer.scratchArg(w));
        String n1 = name + "_phi";
        src.append("\n__kernel void ").append(n1).append('(').append(OpenClRenderer.params(args1, -1)).append(") {\n");
        src.append("  const long g = get_global_id(0); const long row = g % ").append(rows).append("L, t = g / ").append(rows).append("L, h = t % ").append(heads)
                .append("L, bb = t / ").append(heads).append("L;\n");
        src.append("  const int isQ = row < ").append(sq).append("L;\n");
        src.append("  __global const float* x = isQ ? b").append(a.q()).append(" + (bb * ").append(sq).append("L + row) * ").append(d).append(" + h * ").append(dh)
                .append("L : b").append(a.k()).append(" + (bb * ").append(sk).append("L + row - ").append(sq).append("L) * ").append(d).append(" + h * ").append(dh).append("L;\n");
        src.append("  __global real* o = ").append(phiBuf).append(" + g * ").append(f).append("L;\n");
        if (favor) {
            String root = OpenClRenderer.lit(Math.sqrt(scale));
            src.append("  real hsq = 0; for (long c = 0; c < ").append(dh).append("L; c++) { real xc = (real)x[c] * ").append(root).append("; hsq += xc * xc; }\n");
            src.append("  hsq /= 2;\n");
            src.append("  real mx = -INFINITY;\n");
            src.append("  for (long r = 0; r < ").append(f).append("L; r++) {\n");
            src.append("    __global const real* wr = lt_s").append(w).append(" + r * ").append(dh).append("L;\n");
            src.append("    real e = 0; for (long c = 0; c < ").append(dh).append("L; c++) e += ((real)x[c] * ").append(root).append(") * wr[c];\n");
            src.append("    e -= hsq; o[r] = e; mx = fmax(mx, e);\n  }\n");
            // queries: stabilized per row now; keys: by the head's largest exponent in the next kernel
            src.append("  if (isQ) for (long r = 0; r < ").append(f).append("L; r++) o[r] = exp(o[r] - mx) * ").append(OpenClRenderer.lit(1 / Math.sqrt(f))).append(";\n");
        } else {
            src.append("  for (long c = 0; c < ").append(dh).append("L; c++) { real xc = x[c]; o[c] = xc > 0 ? xc + 1 : exp(xc); }\n");
        }
        src.append("}\n");
        launches.add(new OpenClRenderer.Launch(n1, a.label() + " (features)", args1, new long[] {batch * heads * rows}));

        // 2. FAVOR+: the keys of a head share one stabilizing shift
        if (favor) {
            List<Integer> args2 = List.of(OpenClRenderer.scratchArg(phi));
            String n2 = name + "_keys";
            src.append("\n__kernel void ").append(n2).append('(').append(OpenClRenderer.params(args2, -1)).append(") {\n");
            src.append("  __global real* pk = ").append(phiBuf).append(" + ((long)get_global_id(0) * ").append(rows).append("L + ").append(sq).append("L) * ").append(f)
                    .append("L;\n");
            src.append("  real mx = -INFINITY; for (long r = 0; r < ").append(sk * f).append("L; r++) mx = fmax(mx, pk[r]);\n");
            src.append("  for (long r = 0; r < ").append(sk * f).append("L; r++) pk[r] = exp(pk[r] - mx) * ").append(OpenClRenderer.lit(1 / Math.sqrt(f))).append(";\n");
            src.append("}\n");
            launches.add(new OpenClRenderer.Launch(n2, a.label() + " (key features)", args2, new long[] {batch * heads}));
        }

        // 3. one work-item per query row
        List<Integer> args3 = List.of(a.v(), OpenClRenderer.scratchArg(phi), a.out());
        String n3 = name + "_out";
        src.append("\n__kernel void ").append(n3).append('(').append(OpenClRenderer.params(args3, a.out())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long i = g % ").append(sq).append("L, t = g / ").append(sq).append("L, h = t % ").append(heads)
                .append("L, bb = t / ").append(heads).append("L;\n");
        src.append("  __global const real* pq = ").append(phiBuf).append(" + (t * ").append(rows).append("L + i) * ").append(f).append("L;\n");
        src.append("  __global const real* pk = ").append(phiBuf).append(" + (t * ").append(rows).append("L + ").append(sq).append("L) * ").append(f).append("L;\n");
        src.append("  __global const float* vb = b").append(a.v()).append(" + bb * ").append(sk).append("L * ").append(dvAll).append(" + h * ").append(dv).append("L;\n");
        src.append("  const long visible = ").append(a.causal() ? "max(0L, min(" + sk + "L, i + " + (sk - sq + 1) + "L))" : sk + "L").append(";\n");
        src.append("  real num[").append(dv).append("]; for (int c = 0; c < ").append(dv).append("; c++) num[c] = 0;\n");
        src.append("  real den = 0;\n");
        src.append("  for (long j = 0; j < visible; j++) {\n");
        src.append("    real aj = 0; for (long r = 0; r < ").append(f).append("L; r++) aj += pq[r] * pk[j * ").append(f).append("L + r];\n");
        src.append("    den += aj;\n");
        src.append("    for (int c = 0; c < ").append(dv).append("; c++) num[c] += aj * vb[j * ").append(dvAll).append(" + c];\n  }\n");
        src.append("  __global float* op = b").append(a.out()).append(" + (bb * ").append(sq).append("L + i) * ").append(dvAll).append(" + h * ").append(dv).append("L;\n");
        src.append("  for (int c = 0; c < ").append(dv).append("; c++) op[c] = den == 0 ? 0.0f : (float)(num[c] / den);\n");
        src.append("}\n");
        launches.add(new OpenClRenderer.Launch(n3, a.label(), args3, new long[] {batch * heads * sq}));
        return launches;
    }

    /** Exact softmax over the keys j with |pos_i - j| < w (causal: 0 <= pos_i - j < w), pos_i = i + sk - sq; no key gives zeros. */
    private static OpenClRenderer.Launch window(Kernel.LinearAttention a, String name, StringBuilder src, long batch, long sq, long sk, long heads, long dh, long dv,
                                               double scale) {
        String d = heads * dh + "L", dvAll = heads * dv + "L";
        long w = a.size();
        List<Integer> args = List.of(a.q(), a.k(), a.v(), a.out());
        src.append("\n__kernel void ").append(name).append('(').append(OpenClRenderer.params(args, a.out())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long i = g % ").append(sq).append("L, t = g / ").append(sq).append("L, h = t % ").append(heads)
                .append("L, bb = t / ").append(heads).append("L;\n");
        src.append("  __global const float* qp = b").append(a.q()).append(" + (bb * ").append(sq).append("L + i) * ").append(d).append(" + h * ").append(dh).append("L;\n");
        src.append("  __global const float* kb = b").append(a.k()).append(" + bb * ").append(sk).append("L * ").append(d).append(" + h * ").append(dh).append("L;\n");
        src.append("  __global const float* vb = b").append(a.v()).append(" + bb * ").append(sk).append("L * ").append(dvAll).append(" + h * ").append(dv).append("L;\n");
        src.append("  __global float* op = b").append(a.out()).append(" + (bb * ").append(sq).append("L + i) * ").append(dvAll).append(" + h * ").append(dv).append("L;\n");
        src.append("  const long pos = i + ").append(sk - sq).append("L;\n");
        src.append("  const long lo = max(0L, pos - ").append(w - 1).append("L), hi = min(").append(sk - 1).append("L, pos").append(a.causal() ? "" : " + " + (w - 1) + "L")
                .append(");\n");
        src.append("  real num[").append(dv).append("]; for (int c = 0; c < ").append(dv).append("; c++) num[c] = 0;\n");
        src.append("  if (lo > hi) { for (int c = 0; c < ").append(dv).append("; c++) op[c] = 0.0f; return; }\n");
        String score = "for (long c = 0; c < " + dh + "L; c++) dot += (real)qp[c] * kb[j * " + d + " + c]; const real s = dot * " + OpenClRenderer.lit(scale) + ";";
        src.append("  real mx = -INFINITY;\n");
        src.append("  for (long j = lo; j <= hi; j++) { real dot = 0; ").append(score).append(" mx = fmax(mx, s); }\n");
        src.append("  real sum = 0;\n");
        src.append("  for (long j = lo; j <= hi; j++) { real dot = 0; ").append(score).append(" sum += exp(s - mx); }\n");
        src.append("  for (long j = lo; j <= hi; j++) { real dot = 0; ").append(score).append(" const real pr = exp(s - mx) / sum;\n");
        src.append("    for (int c = 0; c < ").append(dv).append("; c++) num[c] += pr * vb[j * ").append(dvAll).append(" + c]; }\n");
        src.append("  for (int c = 0; c < ").append(dv).append("; c++) op[c] = (float)num[c];\n");
        src.append("}\n");
        return new OpenClRenderer.Launch(name, a.label(), args, new long[] {batch * heads * sq});
    }
}
