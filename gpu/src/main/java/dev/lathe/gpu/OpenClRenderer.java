package dev.lathe.gpu;

import dev.lathe.ir.Dim;
import dev.lathe.lower.Affine;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Scalar;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.model.WeightPacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kernel IR to OpenCL C (DESIGN.md §6). The source is specialized to one binding of the program's
 * named dims (every size, offset and stride is a literal), so a model renders once per distinct
 * input shape. Renders: loop nests (one work-item per point of the outer loops, reductions in the
 * work-item), GEMM with its fused epilogue (a 4x16 register tile per work-item with {@code float16}
 * vectors), batched matmul, the row ops (softmax, log-softmax, layer norm, RMS norm) and unmasked
 * attention (one work-item per batch, head and query row, online softmax). Every buffer must be f32. Anything else is refused by {@link #check} with an {@link UnsupportedOpException}
 * before anything runs, never a wrong result.
 *
 * <p>Float scalar nodes are computed as the interpreter computes them: in double (when the device has
 * {@code cl_khr_fp64}, else float) and rounded to float per node; reductions accumulate in double.
 */
public final class OpenClRenderer {
    /** Rows and columns of the GEMM register tile of one work-item. */
    public static final int TILE_M = 8, TILE_N = 16;

    private OpenClRenderer() {}

    /** One kernel launch: kernel name, buffer arguments (buffer ids; -2 - id for a transposed weight copy), global size. */
    public record Launch(String name, String label, List<Integer> args, long[] global) {}

    /**
     * Source plus launches in order; {@code errors} are the messages of the run-time errors the kernels
     * may raise (a {@code %d} for the offending value), error code i + 1 for entry i.
     */
    public record Rendered(String source, List<Launch> launches, List<String> errors, List<Scratch> scratch) {}

    /** A device buffer of {@code bytes} private to one rendered program; {@code init} (or null) its initial doubles. */
    public record Scratch(long bytes, double[] init) {}

    /** The launch argument standing for scratch buffer {@code i} of {@link Rendered#scratch()}. */
    public static int scratchArg(int i) {
        return ERRORS + 1 + i;
    }

    /** The scratch index of a launch argument, or -1 when it is not a scratch buffer. */
    public static int scratchIndex(int arg) {
        long i = (long) arg - ERRORS - 1;
        return arg != ERRORS && i < 1 << 20 ? (int) i : -1;
    }

    /** The launch argument standing for the error buffer ({@code long[2]}: error code, value) of the kernels that can fail. */
    public static final int ERRORS = Integer.MIN_VALUE;

    /** Throws {@link UnsupportedOpException} when some kernel or buffer of {@code p} cannot be rendered. */
    public static void check(KernelProgram p, boolean fp64) {
        for (Buffer b : p.buffers()) {
            // f16 group scales are widened to float when uploaded (their packing says so)
            if (b.kind() == Buffer.Kind.WEIGHT && b.packing().equals(WeightPacking.AS_F32)) continue;
            boolean ok = switch (b.dtype()) {
                case F16, BF16 -> false;
                case F64 -> fp64;
                default -> true;
            };
            if (!ok) {
                throw new UnsupportedOpException(b.dtype().sourceName(), "the opencl backend does not render " + b.dtype().sourceName() + " buffers"
                        + (b.dtype() == DType.F64 ? " on a device without cl_khr_fp64" : "") + " (buffer '" + b.name() + "', #" + b.id() + ")");
            }
        }
        for (Kernel k : p.kernels()) {
            if (k instanceof Kernel.Loop) continue;
            int mask = k instanceof Kernel.Attention a ? a.mask() : -1;
            for (int id : k.reads()) {
                if (id == mask && maskDtypeOk(p, id)) continue;
                // weights read as floats whatever their dtype (zero points, f16 scales): their packing says so
                if (p.buffer(id).kind() == Buffer.Kind.WEIGHT && p.buffer(id).packing().equals(WeightPacking.AS_F32)) continue;
                // packed integers: read as bytes
                if (k instanceof Kernel.QuantGemm q && id == q.q()) continue;
                // sparse indices and pointers are i32, held as long
                if (k instanceof Kernel.SparseGemm g && (id == g.indices() || id == g.pointers())) continue;
                requireF32(p, id, k);
            }
            for (int id : k.writes()) requireF32(p, id, k);
        }
        for (Kernel k : p.kernels()) {
            switch (k) {
                case Kernel.Loop l -> LoopRenderer.check(l);
                case Kernel.Gemm g -> { }
                case Kernel.BatchedMatMul b -> { }
                case Kernel.Rows r -> { }
                case Kernel.Conv c -> actCode(c.activation());
                case Kernel.Pool q -> { }
                case Kernel.Attention a -> { }
                case Kernel.LinearAttention a -> LinearAttentionRenderer.check(a, fp64);
                case Kernel.QuantGemm q -> {
                    // the dynamic path's exact integer group sums need double
                    if (q.dynamic() && !fp64) {
                        throw new UnsupportedOpException("quantized_linear", "the opencl backend renders dynamic int8 activations in double only, and this device has no cl_khr_fp64");
                    }
                }
                case Kernel.SparseGemm g -> actCode(g.activation());
            }
        }
    }

    /** An attention mask may be bool (true = attend) or f32 (additive). */
    private static boolean maskDtypeOk(KernelProgram p, int id) {
        return p.buffer(id).dtype() == DType.BOOL || p.buffer(id).dtype() == DType.F32;
    }

    private static void requireF32(KernelProgram p, int id, Kernel k) {
        if (id >= 0 && p.buffer(id).dtype() != DType.F32) {
            throw new UnsupportedOpException(p.buffer(id).dtype().sourceName(), "the opencl backend renders kernel '" + k.label() + "' for f32 only");
        }
    }

    private static UnsupportedOpException unsupported(String op, Kernel k) {
        return new UnsupportedOpException(op, "the opencl backend does not render " + op + " yet (kernel '" + k.label() + "'); use --backend jvm or auto");
    }

    private static final String PREAMBLE = """
            #ifdef cl_khr_fp64
            #pragma OPENCL EXTENSION cl_khr_fp64 : enable
            typedef double real;
            #else
            typedef float real;
            #endif
            #define LT_NAN ((real)NAN)
            inline real lt_sigmoid(real v) { if (v >= 0) return 1 / (1 + exp(-v)); real e = exp(v); return e / (1 + e); }
            inline real lt_relu(real v) { return isnan(v) ? v : (v > 0 ? v : (real)0); }
            inline real lt_max(real a, real b) { return (isnan(a) || isnan(b)) ? LT_NAN : fmax(a, b); }
            inline real lt_min(real a, real b) { return (isnan(a) || isnan(b)) ? LT_NAN : fmin(a, b); }
            inline real lt_softplus(real v) { return fmax(v, (real)0) + log1p(exp(-fabs(v))); }
            inline real lt_gelu_erf(real v) { return (real)0.5 * v * (1 + erf(v / sqrt((real)2))); }
            inline real lt_gelu_tanh(real v) { return (real)0.5 * v * (1 + tanh(sqrt((real)2 / M_PI) * (v + (real)0.044715 * v * v * v))); }
            inline real lt_leaky(real v, real a) { return v >= 0 ? v : a * v; }
            inline real lt_clip(real v, real lo, real hi) { return isnan(v) ? v : fmin(fmax(v, lo), hi); }
            inline long lt_d2l(real v) {
              if (isnan(v)) return 0;
              if (v >= (real)9.223372036854775807e18) return LONG_MAX;
              if (v <= (real)-9.223372036854775808e18) return LONG_MIN;
              return (long)v;
            }
            inline long lt_idiv(long a, long b, __global long* err, long code) {
              if (b == 0) { err[0] = code; return 0; }
              return b == -1 ? (long)(0UL - (ulong)a) : a / b;
            }
            inline long lt_ipow(long a, long b) {
              if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : a == 0 ? LONG_MAX : 0;
              real r = 1, x = (real)a;
              for (long e = b; e > 0; e >>= 1) { if (e & 1) r *= x; x *= x; }
              return lt_d2l(r);
            }
            inline long lt_gidx(long i, long dim, int negative, __global long* err, long code) {
              if (negative ? (i < -dim || i >= dim) : (i < 0 || i >= dim)) { err[0] = code; err[1] = i; return 0; }
              return i < 0 ? i + dim : i;
            }
            inline float lt_act(int act, float x) {
              real v = x;
              switch (act) {
                case 1: return (float)lt_relu(v);
                case 2: return (float)lt_gelu_erf(v);
                case 3: return (float)lt_gelu_tanh(v);
                case 4: return (float)(v * lt_sigmoid(v));
                case 5: return (float)lt_sigmoid(v);
                case 6: return (float)tanh(v);
                default: return x;
              }
            }
            """;

    /** Renders {@code p} with the named dims bound to {@code env}. */
    public static Rendered render(KernelProgram p, Map<String, Long> env, boolean fp64) {
        check(p, fp64);
        StringBuilder src = new StringBuilder(PREAMBLE);
        List<Launch> launches = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Scratch> scratch = new ArrayList<>();
        for (int i = 0; i < p.kernels().size(); i++) {
            Kernel k = p.kernels().get(i);
            String name = "k" + i;
            Launch l = switch (k) {
                case Kernel.Loop loop -> new LoopRenderer(p, env, loop, errors).render(name, src);
                case Kernel.Gemm g -> gemm(p, env, g, name, src);
                case Kernel.BatchedMatMul b -> batched(env, b, name, src);
                case Kernel.Rows r -> rows(env, r, name, src);
                case Kernel.Attention a -> attention(p, env, a, name, src);
                case Kernel.Conv c -> ConvRenderer.render(env, c, name, src);
                case Kernel.Pool q -> PoolRenderer.render(env, q, name, src);
                case Kernel.QuantGemm q -> {
                    launches.addAll(QuantRenderer.render(p, env, q, name, src, scratch));
                    yield null;
                }
                case Kernel.SparseGemm g -> SparseRenderer.render(p, env, g, name, src);
                case Kernel.LinearAttention a -> {
                    launches.addAll(LinearAttentionRenderer.render(env, a, name, src, scratch));
                    yield null;
                }
                default -> throw new AssertionError(k);
            };
            if (l != null) launches.add(l);
        }
        return new Rendered(src.toString(), launches, List.copyOf(errors), List.copyOf(scratch));
    }

    static long ev(Dim d, Map<String, Long> env) {
        return d.evaluate(env);
    }

    static String params(List<Integer> bufs, int writes) {
        return params(null, bufs, writes);
    }

    /** Kernel parameters for buffer ids ({@link #ERRORS}: the error buffer); element types from {@code p} (null: all f32). */
    static String params(KernelProgram p, List<Integer> bufs, int writes) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < bufs.size(); j++) {
            if (j > 0) sb.append(", ");
            int id = bufs.get(j);
            if (id == ERRORS) {
                sb.append("__global long* lt_err");
                continue;
            }
            if (scratchIndex(id) >= 0) {
                sb.append("__global real* lt_s").append(scratchIndex(id));
                continue;
            }
            String type = p != null && id >= 0 ? DeviceArrays.cType(p.buffer(id)) : "float";
            sb.append("__global ").append(id == writes ? "" : "const ").append(type).append("* ").append(id <= -2 ? "bt" + (-2 - id) : "b" + id);
        }
        return sb.toString();
    }

    static List<Integer> distinct(List<Integer> ids) {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) if (id != -1 && !out.contains(id)) out.add(id);
        return out;
    }

    static int actCode(String act) {
        return switch (act) {
            case "NONE" -> 0;
            case "RELU" -> 1;
            case "GELU_ERF" -> 2;
            case "GELU_TANH" -> 3;
            case "SILU" -> 4;
            case "SIGMOID" -> 5;
            case "TANH" -> 6;
            default -> throw new UnsupportedOpException(act.toLowerCase(java.util.Locale.ROOT), "the opencl backend has no GEMM epilogue activation " + act);
        };
    }

    // ---------------------------------------------------------------- GEMM

    private static Launch gemm(KernelProgram p, Map<String, Long> env, Kernel.Gemm g, String name, StringBuilder src) {
        long m = ev(g.m(), env), n = ev(g.n(), env), k = ev(g.k(), env);
        if (m == 0 || n == 0) return null;
        long aOff = ev(g.aOff(), env), lda = ev(g.lda(), env), cOff = ev(g.cOff(), env), ldc = ev(g.ldc(), env);
        // B addressing: element (p, j) of the logical [k, n] B.
        String bName;
        long bOff, ldb;
        boolean bRowMajor; // B(p, j) at bOff + p * ldb + j
        int bArg;
        if (g.packed()) {
            Buffer wb = p.buffer(g.b());
            boolean stored = wb.packing().equals(WeightPacking.GEMM_TRANSPOSED);
            bOff = 0;
            ldb = n;
            bRowMajor = true;
            // a gemm_t weight [n, k] is uploaded transposed once, as a [k, n] copy
            bArg = stored ? -2 - g.b() : g.b();
        } else {
            bOff = ev(g.bOff(), env);
            ldb = ev(g.ldb(), env);
            bRowMajor = !g.transB();
            bArg = g.b();
        }
        bName = bArg <= -2 ? "bt" + (-2 - bArg) : "b" + bArg;
        List<Integer> args = distinct(List.of(g.a(), bArg, g.c(), g.bias(), g.residual()));
        String A = "b" + g.a(), C = "b" + g.c();
        String bAt = bRowMajor ? "(" + bOff + "L + (long)(P) * " + ldb + "L + (J))" : "(" + bOff + "L + (long)(J) * " + ldb + "L + (P))";
        int act = actCode(g.activation());
        String epi = "lt_act(" + act + ", v" + (g.bias() >= 0 ? " + b" + g.bias() + "[J]" : "") + ")"
                + (g.residual() >= 0 ? " + b" + g.residual() + "[" + cOff + "L + (long)(I) * " + ldc + "L + (J)]" : "");
        src.append("\n#define B_AT(P, J) ").append(bName).append('[').append(bAt).append("]\n");
        src.append("#define EPI(I, J, v) (").append(epi).append(")\n");
        src.append("__kernel void ").append(name).append('(').append(params(args, g.c())).append(") {\n");
        src.append("  const long i0 = (long)get_global_id(1) * ").append(TILE_M).append(", j0 = (long)get_global_id(0) * ").append(TILE_N).append(";\n");
        src.append("  if (i0 >= ").append(m).append("L || j0 >= ").append(n).append("L) return;\n");
        boolean vec = bRowMajor;
        if (vec) {
            src.append("  if (i0 + ").append(TILE_M).append(" <= ").append(m).append("L && j0 + ").append(TILE_N).append(" <= ").append(n).append("L) {\n");
            for (int r = 0; r < TILE_M; r++) src.append("    float16 acc").append(r).append(" = (float16)(0.0f);\n");
            for (int r = 0; r < TILE_M; r++) {
                src.append("    __global const float* a").append(r).append(" = ").append(A).append(" + ").append(aOff).append("L + (i0 + ").append(r).append(") * ")
                        .append(lda).append("L;\n");
            }
            src.append("    __global const float* bp = ").append(bName).append(" + ").append(bOff).append("L + j0;\n");
            long k4 = k - k % 4;
            src.append("    for (long p = 0; p < ").append(k4).append("L; p += 4) {\n");
            for (int q = 0; q < 4; q++) src.append("      float16 bv").append(q).append(" = vload16(0, bp + (p + ").append(q).append(") * ").append(ldb).append("L);\n");
            for (int r = 0; r < TILE_M; r++) {
                src.append("      { float4 av = vload4(0, a").append(r).append(" + p);");
                for (int q = 0; q < 4; q++) src.append(" acc").append(r).append(" = fma((float16)(av.s").append(q).append("), bv").append(q).append(", acc").append(r).append(");");
                src.append(" }\n");
            }
            src.append("    }\n");
            src.append("    for (long p = ").append(k4).append("L; p < ").append(k).append("L; p++) {\n");
            src.append("      float16 bv = vload16(0, bp + p * ").append(ldb).append("L);\n");
            for (int r = 0; r < TILE_M; r++) src.append("      acc").append(r).append(" = fma((float16)(a").append(r).append("[p]), bv, acc").append(r).append(");\n");
            src.append("    }\n");
            for (int r = 0; r < TILE_M; r++) {
                src.append("    { float t[16]; vstore16(acc").append(r).append(", 0, t); for (int c = 0; c < 16; c++) { long J = j0 + c; ")
                        .append(C).append('[').append(cOff).append("L + (i0 + ").append(r).append(") * ").append(ldc).append("L + J] = EPI(i0 + ").append(r)
                        .append(", J, t[c]); } }\n");
            }
            src.append("    return;\n  }\n");
        }
        // edge tiles (and transposed activations): scalar, bounds-checked
        src.append("  for (long I = i0; I < min(i0 + ").append(TILE_M).append(", ").append(m).append("L); I++)\n");
        src.append("    for (long J = j0; J < min(j0 + ").append(TILE_N).append(", ").append(n).append("L); J++) {\n");
        src.append("      float s = 0.0f;\n");
        src.append("      for (long P = 0; P < ").append(k).append("L; P++) s = fma(").append(A).append('[').append(aOff).append("L + I * ").append(lda)
                .append("L + P], B_AT(P, J), s);\n");
        src.append("      ").append(C).append('[').append(cOff).append("L + I * ").append(ldc).append("L + J] = EPI(I, J, s);\n");
        src.append("    }\n}\n#undef B_AT\n#undef EPI\n");
        return new Launch(name, g.label(), args, new long[] {(n + TILE_N - 1) / TILE_N, (m + TILE_M - 1) / TILE_M});
    }

    // ---------------------------------------------------------------- batched matmul

    private static Launch batched(Map<String, Long> env, Kernel.BatchedMatMul b, String name, StringBuilder src) {
        long batch = ev(b.batch(), env), m = ev(b.m(), env), n = ev(b.n(), env), k = ev(b.k(), env);
        long sa = ev(b.strideA(), env), sb = ev(b.strideB(), env);
        if (batch * m * n == 0) return null;
        List<Integer> args = distinct(List.of(b.a(), b.b(), b.c()));
        src.append("\n__kernel void ").append(name).append('(').append(params(args, b.c())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long t = g / ").append(m * n).append("L, r = g % ").append(m * n).append("L, i = r / ").append(n)
                .append("L, j = r % ").append(n).append("L;\n");
        src.append("  __global const float* a = b").append(b.a()).append(" + t * ").append(sa).append("L + i * ").append(k).append("L;\n");
        src.append("  __global const float* bb = b").append(b.b()).append(" + t * ").append(sb).append("L + j;\n");
        src.append("  float s = 0.0f;\n  for (long p = 0; p < ").append(k).append("L; p++) s = fma(a[p], bb[p * ").append(n).append("L], s);\n");
        src.append("  b").append(b.c()).append("[g] = s;\n}\n");
        return new Launch(name, b.label(), args, new long[] {batch * m * n});
    }

    // ---------------------------------------------------------------- attention

    /** Largest head size whose q row and output accumulator are held in private arrays; larger heads accumulate in the output row itself. */
    static final long PRIVATE_HEAD = 128;

    /**
     * Unmasked multi-head attention (runtime {@code Attention.forward}'s definition): one work-item per
     * (batch, head, query row), ordered so neighbouring work-items share a head and read the same key
     * rows; an online softmax over the visible keys (running max and sum, float accumulation). Key j is
     * hidden when causal and j > i + sk - sq; a row seeing no key (or only -inf scores) gives zeros.
     */
    private static Launch attention(KernelProgram p, Map<String, Long> env, Kernel.Attention a, String name, StringBuilder src) {
        long batch = ev(a.batch(), env), sq = ev(a.sq(), env), sk = ev(a.sk(), env), dh = ev(a.dh(), env), dv = ev(a.dv(), env);
        long heads = a.heads();
        if (batch * sq * dv == 0) return null;
        float scale = (float) (Double.isNaN(a.scale()) ? 1 / Math.sqrt(dh) : a.scale());
        long d = heads * dh, dvAll = heads * dv;
        boolean privQ = dh <= PRIVATE_HEAD, privAcc = dv <= PRIVATE_HEAD;
        List<Integer> args = distinct(List.of(a.q(), a.k(), a.v(), a.mask(), a.out()));
        src.append("\n__kernel void ").append(name).append('(').append(params(p, args, a.out())).append(") {\n");
        src.append("  const long g = get_global_id(0); const long i = g % ").append(sq).append("L, t = g / ").append(sq).append("L, h = t % ").append(heads)
                .append("L, bb = t / ").append(heads).append("L;\n");
        src.append("  __global const float* qp = b").append(a.q()).append(" + (bb * ").append(sq).append("L + i) * ").append(d).append("L + h * ").append(dh).append("L;\n");
        src.append("  __global const float* kb = b").append(a.k()).append(" + bb * ").append(sk * d).append("L + h * ").append(dh).append("L;\n");
        src.append("  __global const float* vb = b").append(a.v()).append(" + bb * ").append(sk * dvAll).append("L + h * ").append(dv).append("L;\n");
        src.append("  __global float* op = b").append(a.out()).append(" + (bb * ").append(sq).append("L + i) * ").append(dvAll).append("L + h * ").append(dv).append("L;\n");
        String q = "qp";
        if (privQ) {
            src.append("  float qv[").append(dh).append("]; for (int c = 0; c < ").append(dh).append("; c++) qv[c] = qp[c];\n");
            q = "qv";
        }
        String acc = "op";
        if (privAcc) {
            src.append("  float acc[").append(dv).append("];\n");
            acc = "acc";
        }
        src.append("  for (int c = 0; c < ").append(dv).append("; c++) ").append(acc).append("[c] = 0.0f;\n");
        src.append("  long jEnd = ").append(sk).append("L;\n");
        if (a.causal()) src.append("  jEnd = min(jEnd, i + ").append(sk - sq + 1).append("L);\n");
        src.append("  float mx = -INFINITY, l = 0.0f;\n");
        boolean additive = a.mask() >= 0 && p.buffer(a.mask()).dtype() == DType.F32;
        long strideKey = 0;
        if (a.mask() >= 0) {
            // the mask row of (batch, head, query) through the broadcast strides (0 repeats)
            List<Long> ms = a.maskStrides().stream().map(x -> ev(x, env)).toList();
            strideKey = ms.get(3);
            src.append("  __global const ").append(additive ? "float" : "uchar").append("* mk = b").append(a.mask()).append(" + bb * ").append(ms.get(0))
                    .append("L + h * ").append(ms.get(1)).append("L + i * ").append(ms.get(2)).append("L;\n");
        }
        src.append("  for (long j = 0; j < jEnd; j++) {\n");
        if (a.mask() >= 0 && !additive) src.append("    if (!mk[j * ").append(strideKey).append("L]) continue;\n");
        src.append("    __global const float* kp = kb + j * ").append(d).append("L;\n");
        src.append("    float s = 0.0f; for (int c = 0; c < ").append(dh).append("; c++) s = fma(").append(q).append("[c], kp[c], s);\n");
        src.append("    s *= ").append(Float.isFinite(scale) ? Float.toString(scale) + "f" : lit(scale)).append(";\n");
        if (additive) src.append("    s += mk[j * ").append(strideKey).append("L];\n");
        src.append("    if (s == -INFINITY) continue;\n");
        src.append("    if (s > mx) { const float corr = exp(mx - s); l *= corr; for (int c = 0; c < ").append(dv).append("; c++) ").append(acc)
                .append("[c] *= corr; mx = s; }\n");
        src.append("    const float pr = exp(s - mx); l += pr;\n");
        src.append("    __global const float* vp = vb + j * ").append(dvAll).append("L;\n");
        src.append("    for (int c = 0; c < ").append(dv).append("; c++) ").append(acc).append("[c] = fma(pr, vp[c], ").append(acc).append("[c]);\n");
        src.append("  }\n");
        src.append("  const float inv = l > 0.0f ? 1.0f / l : 0.0f;\n");
        src.append("  for (int c = 0; c < ").append(dv).append("; c++) op[c] = l > 0.0f ? ").append(acc).append("[c] * inv : 0.0f;\n");
        src.append("}\n");
        return new Launch(name, a.label(), args, new long[] {batch * heads * sq});
    }

    // ---------------------------------------------------------------- rows

    private static Launch rows(Map<String, Long> env, Kernel.Rows r, String name, StringBuilder src) {
        long rows = ev(r.rows(), env), cols = ev(r.cols(), env);
        if (rows == 0 || cols == 0) return null;
        List<Integer> args = distinct(List.of(r.x(), r.weight(), r.bias(), r.out()));
        String x = "b" + r.x(), o = "b" + r.out();
        src.append("\n__kernel void ").append(name).append('(').append(params(args, r.out())).append(") {\n");
        src.append("  const long base = (long)get_global_id(0) * ").append(cols).append("L;\n");
        src.append("  __global const float* x = ").append(x).append(" + base;\n  __global float* o = ").append(o).append(" + base;\n");
        String n = cols + "L";
        switch (r.op()) {
            case SOFTMAX, LOG_SOFTMAX -> {
                src.append("  real mx = -INFINITY; for (long j = 0; j < ").append(n).append("; j++) mx = lt_max(mx, (real)x[j]);\n");
                src.append("  real s = 0; for (long j = 0; j < ").append(n).append("; j++) s += exp((real)x[j] - mx);\n");
                if (r.op() == Kernel.RowOp.SOFTMAX) {
                    src.append("  for (long j = 0; j < ").append(n).append("; j++) o[j] = (float)(exp((real)x[j] - mx) / s);\n");
                } else {
                    src.append("  real ls = log(s); for (long j = 0; j < ").append(n).append("; j++) o[j] = (float)((real)x[j] - mx - ls);\n");
                }
            }
            case LAYER_NORM -> {
                src.append("  real s = 0; for (long j = 0; j < ").append(n).append("; j++) s += x[j];\n  real mean = s / ").append(cols).append(";\n");
                src.append("  real v = 0; for (long j = 0; j < ").append(n).append("; j++) { real d = x[j] - mean; v += d * d; }\n");
                src.append("  real inv = 1 / sqrt(v / ").append(cols).append(" + (real)").append(lit(r.eps())).append(");\n");
                src.append("  for (long j = 0; j < ").append(n).append("; j++) { real y = ((real)x[j] - mean) * inv;");
                if (r.weight() >= 0) src.append(" y *= b").append(r.weight()).append("[j];");
                if (r.bias() >= 0) src.append(" y += b").append(r.bias()).append("[j];");
                src.append(" o[j] = (float)y; }\n");
            }
            case RMS_NORM -> {
                src.append("  real s = 0; for (long j = 0; j < ").append(n).append("; j++) s += (real)x[j] * x[j];\n");
                src.append("  real inv = 1 / sqrt(s / ").append(cols).append(" + (real)").append(lit(r.eps())).append(");\n");
                src.append("  for (long j = 0; j < ").append(n).append("; j++) { real y = (real)x[j] * inv;");
                if (r.weight() >= 0) src.append(" y *= b").append(r.weight()).append("[j];");
                src.append(" o[j] = (float)y; }\n");
            }
        }
        src.append("}\n");
        return new Launch(name, r.label(), args, new long[] {rows});
    }

    static String lit(double v) {
        if (Double.isNaN(v)) return "NAN";
        if (Double.isInfinite(v)) return v > 0 ? "INFINITY" : "(-INFINITY)";
        return "(" + Double.toString(v) + ")";
    }
}
