package dev.lathe.tornado;

import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Scalar;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.model.WeightPacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One static kernel method per {@link Kernel}: the points of a loop nest (or the output elements of a
 * GEMM, a batched matmul, a convolution; the rows of a row op; the query rows of attention) are
 * {@code @Parallel} loops, at most three deep as TornadoVM maps them to a 1-3 D grid (deeper nests are
 * flattened into one); reductions run sequentially inside each parallel iteration. Parameters are the
 * kernel's buffers, named {@code b<id>}; every size, offset and stride is a literal of the bound dims.
 */
final class KernelMethods {
    /** One task: method name, kernel label, buffer arguments in parameter order. */
    record Task(String name, String label, List<Integer> args) {}

    private final KernelProgram p;
    private final Map<String, Long> env;
    private final ScalarSource dims;

    KernelMethods(KernelProgram p, Map<String, Long> env) {
        this.p = p;
        this.env = env;
        this.dims = new ScalarSource(p, env, "acc", true);
    }

    /** Appends the method for {@code k} to {@code src}; null when it has nothing to compute (an empty extent). */
    Task emit(Kernel k, String name, StringBuilder src) {
        return switch (k) {
            case Kernel.Loop l -> loop(l, name, src);
            case Kernel.Gemm g -> gemm(g, name, src);
            case Kernel.BatchedMatMul b -> batched(b, name, src);
            case Kernel.Rows r -> rows(r, name, src);
            case Kernel.Attention a -> attention(a, name, src);
            case Kernel.Conv c -> conv(c, name, src);
            case Kernel.LinearAttention a -> throw new AssertionError("refused by check: " + a.label());
            case Kernel.QuantGemm q -> throw new AssertionError("refused by check: " + q.label());
        };
    }

    private long ev(dev.lathe.ir.Dim d) {
        return dims.eval(d);
    }

    private static List<Integer> distinct(List<Integer> ids) {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) if (id >= 0 && !out.contains(id)) out.add(id);
        return out;
    }

    private void header(String name, String label, List<Integer> args, StringBuilder src) {
        src.append("\n    /** ").append(label.replace("*/", "* /")).append(" */\n");
        src.append("    public static void ").append(name).append('(');
        for (int j = 0; j < args.size(); j++) {
            if (j > 0) src.append(", ");
            src.append(ArrayTypes.arrayClass(p.buffer(args.get(j)).dtype())).append(" b").append(args.get(j));
        }
        src.append(") {\n");
    }

    /** Opens {@code @Parallel} loops over {@code vars} with {@code extents}; more than three are flattened into one. Returns the indentation. */
    private static String parallel(List<String> vars, long[] extents, String indent, StringBuilder src) {
        if (vars.size() <= 3) {
            for (int d = 0; d < vars.size(); d++) {
                src.append(indent).append("for (@Parallel int ").append(vars.get(d)).append(" = 0; ").append(vars.get(d)).append(" < ").append(extents[d])
                        .append("; ").append(vars.get(d)).append("++) {\n");
                indent += "    ";
            }
            return indent;
        }
        long total = 1;
        for (long e : extents) total *= e;
        src.append(indent).append("for (@Parallel int g = 0; g < ").append(total).append("; g++) {\n");
        indent += "    ";
        String rest = "g";
        for (int d = vars.size() - 1; d >= 0; d--) {
            src.append(indent).append("int ").append(vars.get(d)).append(" = ").append(d == 0 ? rest : "(" + rest + ") % " + extents[d]).append(";\n");
            rest = "(" + rest + ") / " + extents[d];
        }
        return indent;
    }

    private static void close(int loops, String indent, StringBuilder src) {
        int n = loops <= 3 ? loops : 1;
        for (int d = 0; d < n; d++) {
            indent = indent.substring(4);
            src.append(indent).append("}\n");
        }
    }

    // ---------------------------------------------------------------- loop nests

    private Task loop(Kernel.Loop loop, String name, StringBuilder src) {
        int outer = loop.extents().size();
        long[] ext = new long[outer];
        List<String> vars = new ArrayList<>();
        for (int d = 0; d < outer; d++) {
            ext[d] = ev(loop.extents().get(d));
            if (ext[d] == 0) return null;
            vars.add("i" + d);
        }
        List<Integer> args = distinct(new ArrayList<>(loop.reads()));
        args.remove((Integer) loop.out());
        args.add(loop.out());
        Kernel.Reduction red = loop.reduction();
        boolean accFloating = red != null && red.op() != Kernel.ReduceOp.ARGMAX && red.value().type().isFloating();
        ScalarSource s = new ScalarSource(p, env, "acc", accFloating);
        header(name, loop.label(), args, src);
        String in = parallel(vars, ext, "        ", src);
        if (red != null) reduction(red, outer, s, accFloating, in, src);
        DType outType = p.buffer(loop.out()).dtype();
        src.append(in).append(ArrayTypes.store(outType, "b" + loop.out(), s.affine(loop.outIndex()), s.as(loop.body(), outType))).append('\n');
        close(outer, in, src);
        src.append("    }\n");
        return new Task(name, loop.label(), args);
    }

    private void reduction(Kernel.Reduction red, int outer, ScalarSource s, boolean fl, String in, StringBuilder src) {
        DType accType = fl ? DType.F64 : DType.I64;
        if (red.op() == Kernel.ReduceOp.ARGMAX) {
            src.append(in).append("double best = 0;\n").append(in).append("long acc = -1;\n");
        } else {
            String init = red.init() != null ? s.as(red.init(), accType) : switch (red.op()) {
                case SUM -> fl ? "0.0" : "0L";
                case MAX -> fl ? "Double.NEGATIVE_INFINITY" : "Long.MIN_VALUE";
                default -> fl ? "Double.POSITIVE_INFINITY" : "Long.MAX_VALUE";
            };
            src.append(in).append(fl ? "double" : "long").append(" acc = ").append(init).append(";\n");
        }
        String inner = in;
        for (int d = 0; d < red.extents().size(); d++) {
            String v = "i" + (outer + d);
            src.append(inner).append("for (int ").append(v).append(" = 0; ").append(v).append(" < ").append(ev(red.extents().get(d))).append("; ").append(v)
                    .append("++) {\n");
            inner += "    ";
        }
        switch (red.op()) {
            case SUM -> src.append(inner).append("acc += ").append(s.as(red.value(), accType)).append(";\n");
            case MAX -> src.append(inner).append("acc = Math.max(acc, ").append(s.as(red.value(), accType)).append(");\n");
            case MIN -> src.append(inner).append("acc = Math.min(acc, ").append(s.as(red.value(), accType)).append(");\n");
            case ARGMAX -> {
                src.append(inner).append("double v = ").append(s.as(red.value(), DType.F64)).append(";\n");
                src.append(inner).append("if (acc < 0 || argmaxBetter(v, best)) {\n");
                src.append(inner).append("    best = v;\n").append(inner).append("    acc = i").append(outer).append(";\n");
                src.append(inner).append("}\n");
            }
        }
        for (int d = 0; d < red.extents().size(); d++) {
            inner = inner.substring(4);
            src.append(inner).append("}\n");
        }
    }

    // ---------------------------------------------------------------- GEMM

    private static String activation(String act, String x) {
        return switch (act) {
            case "NONE" -> x;
            case "RELU" -> "relu32(" + x + ")";
            case "GELU_ERF" -> "(float) geluErf(" + x + ")";
            case "GELU_TANH" -> "(float) geluTanh(" + x + ")";
            case "SILU" -> "(float) silu(" + x + ")";
            case "SIGMOID" -> "(float) sigmoid(" + x + ")";
            case "TANH" -> "(float) Math.tanh(" + x + ")";
            default -> throw new dev.lathe.lower.UnsupportedOpException(act.toLowerCase(java.util.Locale.ROOT),
                    "the tornadovm backend has no epilogue activation " + act);
        };
    }

    /** C[i, j] = act(sum_p A[i, p] B[p, j] + bias[j]) + residual[i, j], float accumulation as in the runtime GEMM. */
    private Task gemm(Kernel.Gemm g, String name, StringBuilder src) {
        long m = ev(g.m()), n = ev(g.n()), k = ev(g.k());
        if (m == 0 || n == 0) return null;
        long aOff = ev(g.aOff()), lda = ev(g.lda()), cOff = ev(g.cOff()), ldc = ev(g.ldc());
        String bAt;
        if (g.packed()) {
            // the weight as stored: gemm_t is [n, k] (B transposed), otherwise [k, n]
            Buffer wb = p.buffer(g.b());
            bAt = wb.packing().equals(WeightPacking.GEMM_TRANSPOSED) ? "j * " + k + " + q" : "q * " + n + " + j";
        } else {
            long bOff = ev(g.bOff()), ldb = ev(g.ldb());
            bAt = g.transB() ? bOff + " + j * " + ldb + " + q" : bOff + " + q * " + ldb + " + j";
        }
        List<Integer> args = distinct(List.of(g.a(), g.b(), g.bias(), g.residual(), g.c()));
        header(name, g.label(), args, src);
        String in = parallel(List.of("i", "j"), new long[] {m, n}, "        ", src);
        src.append(in).append("float s = 0f;\n");
        src.append(in).append("for (int q = 0; q < ").append(k).append("; q++) {\n");
        src.append(in).append("    s += b").append(g.a()).append(".get(").append(aOff).append(" + i * ").append(lda).append(" + q) * b").append(g.b()).append(".get(")
                .append(bAt).append(");\n");
        src.append(in).append("}\n");
        if (g.bias() >= 0) src.append(in).append("s += b").append(g.bias()).append(".get(j);\n");
        String v = activation(g.activation(), "s");
        if (g.residual() >= 0) v = v + " + b" + g.residual() + ".get(" + cOff + " + i * " + ldc + " + j)";
        src.append(in).append('b').append(g.c()).append(".set(").append(cOff).append(" + i * ").append(ldc).append(" + j, ").append(v).append(");\n");
        close(2, in, src);
        src.append("    }\n");
        return new Task(name, g.label(), args);
    }

    private Task batched(Kernel.BatchedMatMul b, String name, StringBuilder src) {
        long batch = ev(b.batch()), m = ev(b.m()), n = ev(b.n()), k = ev(b.k()), sa = ev(b.strideA()), sb = ev(b.strideB());
        if (batch == 0 || m == 0 || n == 0) return null;
        List<Integer> args = distinct(List.of(b.a(), b.b(), b.c()));
        header(name, b.label(), args, src);
        String in = parallel(List.of("t", "i", "j"), new long[] {batch, m, n}, "        ", src);
        src.append(in).append("float s = 0f;\n");
        src.append(in).append("for (int q = 0; q < ").append(k).append("; q++) {\n");
        src.append(in).append("    s += b").append(b.a()).append(".get(t * ").append(sa).append(" + i * ").append(k).append(" + q) * b").append(b.b())
                .append(".get(t * ").append(sb).append(" + q * ").append(n).append(" + j);\n");
        src.append(in).append("}\n");
        src.append(in).append('b').append(b.c()).append(".set((t * ").append(m).append(" + i) * ").append(n).append(" + j, s);\n");
        close(3, in, src);
        src.append("    }\n");
        return new Task(name, b.label(), args);
    }

    // ---------------------------------------------------------------- rows

    private Task rows(Kernel.Rows r, String name, StringBuilder src) {
        long rows = ev(r.rows()), cols = ev(r.cols());
        if (rows == 0 || cols == 0) return null;
        List<Integer> args = distinct(List.of(r.x(), r.weight(), r.bias(), r.out()));
        header(name, r.label(), args, src);
        String in = parallel(List.of("r"), new long[] {rows}, "        ", src);
        String x = "b" + r.x(), o = "b" + r.out();
        src.append(in).append("int base = r * ").append(cols).append(";\n");
        String loop = "for (int c = 0; c < " + cols + "; c++) ";
        String xc = x + ".get(base + c)";
        switch (r.op()) {
            case SOFTMAX, LOG_SOFTMAX -> {
                src.append(in).append("double mx = Double.NEGATIVE_INFINITY;\n");
                src.append(in).append(loop).append("mx = Math.max(mx, ").append(xc).append(");\n");
                src.append(in).append("double s = 0;\n");
                src.append(in).append(loop).append("s += Math.exp(").append(xc).append(" - mx);\n");
                if (r.op() == Kernel.RowOp.SOFTMAX) {
                    src.append(in).append(loop).append(o).append(".set(base + c, (float) (Math.exp(").append(xc).append(" - mx) / s));\n");
                } else {
                    src.append(in).append("double ls = Math.log(s);\n");
                    src.append(in).append(loop).append(o).append(".set(base + c, (float) (").append(xc).append(" - mx - ls));\n");
                }
            }
            case LAYER_NORM -> {
                src.append(in).append("double s = 0;\n");
                src.append(in).append(loop).append("s += ").append(xc).append(";\n");
                src.append(in).append("double mean = s / ").append(cols).append(";\n");
                src.append(in).append("double sq = 0;\n");
                src.append(in).append(loop).append("{\n").append(in).append("    double d = ").append(xc).append(" - mean;\n").append(in).append("    sq += d * d;\n")
                        .append(in).append("}\n");
                src.append(in).append("double inv = 1 / Math.sqrt(sq / ").append(cols).append(" + ").append(JavaLiterals.dbl(r.eps())).append(");\n");
                src.append(in).append(loop).append("{\n");
                src.append(in).append("    double y = (").append(xc).append(" - mean) * inv;\n");
                if (r.weight() >= 0) src.append(in).append("    y *= b").append(r.weight()).append(".get(c);\n");
                if (r.bias() >= 0) src.append(in).append("    y += b").append(r.bias()).append(".get(c);\n");
                src.append(in).append("    ").append(o).append(".set(base + c, (float) y);\n").append(in).append("}\n");
            }
            case RMS_NORM -> {
                src.append(in).append("double s = 0;\n");
                src.append(in).append(loop).append("s += (double) ").append(xc).append(" * ").append(xc).append(";\n");
                src.append(in).append("double inv = 1 / Math.sqrt(s / ").append(cols).append(" + ").append(JavaLiterals.dbl(r.eps())).append(");\n");
                src.append(in).append(loop).append("{\n");
                src.append(in).append("    double y = ").append(xc).append(" * inv;\n");
                if (r.weight() >= 0) src.append(in).append("    y *= b").append(r.weight()).append(".get(c);\n");
                src.append(in).append("    ").append(o).append(".set(base + c, (float) y);\n").append(in).append("}\n");
            }
        }
        close(1, in, src);
        src.append("    }\n");
        return new Task(name, r.label(), args);
    }

    // ---------------------------------------------------------------- attention

    /**
     * One parallel iteration per (batch * head, query row): an online softmax over the visible keys (running
     * max and sum, float accumulation) accumulating straight into the output row.
     */
    private Task attention(Kernel.Attention a, String name, StringBuilder src) {
        long batch = ev(a.batch()), sq = ev(a.sq()), sk = ev(a.sk()), dh = ev(a.dh()), dv = ev(a.dv());
        int heads = a.heads();
        if (batch == 0 || sq == 0 || heads == 0 || dv == 0) return null;
        long d = heads * dh, dvAll = heads * dv;
        float scale = (float) (Double.isNaN(a.scale()) ? 1 / Math.sqrt(dh) : a.scale());
        List<Integer> args = distinct(List.of(a.q(), a.k(), a.v(), a.mask(), a.out()));
        header(name, a.label(), args, src);
        String in = parallel(List.of("bh", "i"), new long[] {batch * heads, sq}, "        ", src);
        String q = "b" + a.q(), k = "b" + a.k(), v = "b" + a.v(), o = "b" + a.out();
        src.append(in).append("int bb = bh / ").append(heads).append(", h = bh % ").append(heads).append(";\n");
        src.append(in).append("int qBase = (bb * ").append(sq).append(" + i) * ").append(d).append(" + h * ").append(dh).append(";\n");
        src.append(in).append("int kBase = bb * ").append(sk * d).append(" + h * ").append(dh).append(";\n");
        src.append(in).append("int vBase = bb * ").append(sk * dvAll).append(" + h * ").append(dv).append(";\n");
        src.append(in).append("int oBase = (bb * ").append(sq).append(" + i) * ").append(dvAll).append(" + h * ").append(dv).append(";\n");
        src.append(in).append("for (int c = 0; c < ").append(dv).append("; c++) ").append(o).append(".set(oBase + c, 0f);\n");
        src.append(in).append("int jEnd = ").append(a.causal() ? "Math.min(" + sk + ", i + " + (sk - sq + 1) + ")" : String.valueOf(sk)).append(";\n");
        src.append(in).append("float mx = Float.NEGATIVE_INFINITY;\n").append(in).append("float l = 0f;\n");
        src.append(in).append("for (int j = 0; j < jEnd; j++) {\n");
        String jn = in + "    ";
        src.append(jn).append("float s = 0f;\n");
        src.append(jn).append("for (int c = 0; c < ").append(dh).append("; c++) s += ").append(q).append(".get(qBase + c) * ").append(k).append(".get(kBase + j * ")
                .append(d).append(" + c);\n");
        src.append(jn).append("s *= ").append(scale).append("f;\n");
        if (a.mask() >= 0) {
            List<Long> ms = a.maskStrides().stream().map(this::ev).toList();
            String mi = "bb * " + ms.get(0) + " + h * " + ms.get(1) + " + i * " + ms.get(2) + " + j * " + ms.get(3);
            if (a.additiveMask()) src.append(jn).append("s += b").append(a.mask()).append(".get(").append(mi).append(");\n");
            else src.append(jn).append("if (b").append(a.mask()).append(".get(").append(mi).append(") == 0) s = Float.NEGATIVE_INFINITY;\n");
        }
        src.append(jn).append("if (s == Float.NEGATIVE_INFINITY) continue;\n");
        src.append(jn).append("if (s > mx) {\n");
        src.append(jn).append("    float corr = (float) Math.exp(mx - s);\n");
        src.append(jn).append("    l *= corr;\n");
        src.append(jn).append("    for (int c = 0; c < ").append(dv).append("; c++) ").append(o).append(".set(oBase + c, ").append(o).append(".get(oBase + c) * corr);\n");
        src.append(jn).append("    mx = s;\n");
        src.append(jn).append("}\n");
        src.append(jn).append("float pr = (float) Math.exp(s - mx);\n");
        src.append(jn).append("l += pr;\n");
        src.append(jn).append("for (int c = 0; c < ").append(dv).append("; c++) ").append(o).append(".set(oBase + c, ").append(o).append(".get(oBase + c) + pr * ")
                .append(v).append(".get(vBase + j * ").append(dvAll).append(" + c));\n");
        src.append(in).append("}\n");
        src.append(in).append("float inv = l > 0f ? 1f / l : 0f;\n");
        src.append(in).append("for (int c = 0; c < ").append(dv).append("; c++) ").append(o).append(".set(oBase + c, l > 0f ? ").append(o)
                .append(".get(oBase + c) * inv : 0f);\n");
        close(2, in, src);
        src.append("    }\n");
        return new Task(name, a.label(), args);
    }

    // ---------------------------------------------------------------- conv2d

    /** out[b, o, y, x] = act(bias[o] + sum_{c, ky, kx} x[b, g*cg + c, y*sh - pt + ky*dh, x*sw - pl + kx*dw] * w[o, c, ky, kx]), zero padding. */
    private Task conv(Kernel.Conv c, String name, StringBuilder src) {
        long batch = ev(c.batch()), cin = ev(c.cin()), h = ev(c.h()), w = ev(c.w()), cout = ev(c.cout()), kh = ev(c.kh()), kw = ev(c.kw());
        int sh = c.stride().get(0), sw = c.stride().get(1), pt = c.pads().get(0), pl = c.pads().get(1), pb = c.pads().get(2), pr = c.pads().get(3);
        int dh = c.dilation().get(0), dw = c.dilation().get(1), groups = c.groups();
        long oh = (h + pt + pb - (long) dh * (kh - 1) - 1) / sh + 1, ow = (w + pl + pr - (long) dw * (kw - 1) - 1) / sw + 1;
        if (batch == 0 || cout == 0 || oh <= 0 || ow <= 0) return null;
        long cg = cin / groups, og = cout / groups;
        List<Integer> args = distinct(List.of(c.x(), c.weight(), c.bias(), c.out()));
        header(name, c.label(), args, src);
        String in = parallel(List.of("bo", "y", "x"), new long[] {batch * cout, oh, ow}, "        ", src);
        src.append(in).append("int bb = bo / ").append(cout).append(", o = bo % ").append(cout).append(";\n");
        src.append(in).append("int c0 = (o / ").append(og).append(") * ").append(cg).append(";\n");
        src.append(in).append("float s = 0f;\n");
        src.append(in).append("for (int c = 0; c < ").append(cg).append("; c++) {\n");
        src.append(in).append("    for (int ky = 0; ky < ").append(kh).append("; ky++) {\n");
        src.append(in).append("        int yy = y * ").append(sh).append(" - ").append(pt).append(" + ky * ").append(dh).append(";\n");
        src.append(in).append("        if (yy < 0 || yy >= ").append(h).append(") continue;\n");
        src.append(in).append("        for (int kx = 0; kx < ").append(kw).append("; kx++) {\n");
        src.append(in).append("            int xx = x * ").append(sw).append(" - ").append(pl).append(" + kx * ").append(dw).append(";\n");
        src.append(in).append("            if (xx < 0 || xx >= ").append(w).append(") continue;\n");
        src.append(in).append("            s += b").append(c.x()).append(".get(((bb * ").append(cin).append(" + c0 + c) * ").append(h).append(" + yy) * ").append(w)
                .append(" + xx) * b").append(c.weight()).append(".get(((o * ").append(cg).append(" + c) * ").append(kh).append(" + ky) * ").append(kw).append(" + kx);\n");
        src.append(in).append("        }\n").append(in).append("    }\n").append(in).append("}\n");
        if (c.bias() >= 0) src.append(in).append("s += b").append(c.bias()).append(".get(o);\n");
        src.append(in).append('b').append(c.out()).append(".set((bo * ").append(oh).append(" + y) * ").append(ow).append(" + x, ").append(activation(c.activation(), "s"))
                .append(");\n");
        close(3, in, src);
        src.append("    }\n");
        return new Task(name, c.label(), args);
    }
}
