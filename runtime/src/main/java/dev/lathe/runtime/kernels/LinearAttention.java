package dev.lathe.runtime.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Linear-time attention ({@code linear_attention}): the double reference the interpreter runs, and
 * the f32 entry point of generated code. Per batch b and head h (q and k columns {@code h*dh..(h+1)*dh},
 * v columns {@code h*dv..(h+1)*dv}), with query i at position {@code i + SK - SQ}:
 * <ul>
 *   <li>{@link #ELU}: {@code phi(x) = elu(x) + 1} on q and k (no scale; Katharopoulos et al. 2020);</li>
 *   <li>{@link #FAVOR}: FAVOR+ (Choromanski et al. 2021): with q' = sqrt(scale) q and k' = sqrt(scale) k
 *       (d^-1/4 each for the default scale), {@code phi(x) = exp(w_r . x - |x|^2 / 2) / sqrt(m)} over m
 *       positive orthogonal random features w_r ({@link #favorFeatures}), so that
 *       {@code E[phi(q') . phi(k')] = exp(scale q . k)}. Stabilized: a query's features are divided
 *       by exp of their largest exponent, every key's by exp of the largest exponent over the head's
 *       keys; both factors cancel between numerator and denominator;</li>
 *   <li>then {@code out_i = phi(q_i) (sum_j phi(k_j)^T v_j) / phi(q_i) . sum_j phi(k_j)} over the keys j
 *       visible to i (all, or when causal those at positions up to i's, by prefix sums); a query
 *       with a zero denominator gives zeros;</li>
 *   <li>{@link #NYSTROM}: {@link #nystrom}, segment-mean landmarks and a Newton-Schulz pseudo-inverse
 *       (non-causal only);</li>
 *   <li>{@link #WINDOW}: exact softmax attention over the keys j with {@code |pos_i - j| < w}
 *       ({@code 0 <= pos_i - j < w} when causal), so a window of at least the sequence length is
 *       full attention.</li>
 * </ul>
 * The double methods here are the reference (the interpreter's arithmetic); generated code runs the
 * f32 kernels through {@link #forward(float[], float[], float[], int, int, int, int, int, int, int, int, long, boolean, double, float[], Parallelism)}.
 */
public final class LinearAttention {
    /** Methods, in the order of the compiler's {@code Node.KernelMethod}. */
    public static final int FAVOR = 0, ELU = 1, NYSTROM = 2, WINDOW = 3;

    private LinearAttention() {}

    /**
     * The f32 entry point of generated code: q [batch, sq, heads*dh], k [batch, sk, heads*dh],
     * v [batch, sk, heads*dv], out [batch, sq, heads*dv]; {@code scale} NaN means 1/sqrt(dh). Runs the
     * blockwise f32 kernels ({@link LinearAttentionFeatureMaps}, {@link Attention} with a window,
     * {@link LinearAttentionNystrom}) in their Vector API or scalar version ({@link Kernels}), in
     * parallel over (batch, head); they agree with the double reference within DESIGN.md §4.
     */
    public static void forward(float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv, int method, int size, long seed,
                               boolean causal, double scale, float[] out, Parallelism par) {
        forward(Kernels.VECTOR, q, k, v, batch, sq, sk, heads, dh, dv, method, size, seed, causal, scale, out, par);
    }

    /** {@link #forward(float[], float[], float[], int, int, int, int, int, int, int, int, long, boolean, double, float[], Parallelism)} on one thread. */
    public static void forward(float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv, int method, int size, long seed,
                               boolean causal, double scale, float[] out) {
        forward(q, k, v, batch, sq, sk, heads, dh, dv, method, size, seed, causal, scale, out, Parallelism.SERIAL);
    }

    /**
     * Bytes of scratch the f32 kernels hold on the calling thread: after a one-thread call, what that
     * call needed (its blocks' features, scores and state; {@link Gemm}'s and {@link Attention}'s own
     * block-sized scratch not counted). For benchmarks and tests of the linear-memory claim.
     */
    public static long scratchBytes() {
        return 4 * LinearAttentionScratch.floatsHeld();
    }

    /** Frees the calling thread's scratch, so that {@link #scratchBytes()} after a call measures that call. */
    public static void releaseScratch() {
        LinearAttentionScratch.release();
    }

    /** As above with the kernel version chosen by the caller (tests compare the two). */
    static void forward(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv, int method, int size,
                        long seed, boolean causal, double scale, float[] out, Parallelism par) {
        Checks.nonNegative("LinearAttention", batch, sq, sk, dh, dv);
        if (heads < 1) throw new IllegalArgumentException("heads must be >= 1, got " + heads);
        Checks.par(par);
        long dq = (long) heads * dh, dvAll = (long) heads * dv;
        Checks.matrix("q", q, 0, batch * sq, (int) dq, dq, 1);
        Checks.matrix("k", k, 0, batch * sk, (int) dq, dq, 1);
        Checks.matrix("v", v, 0, batch * sk, (int) dvAll, dvAll, 1);
        Checks.matrix("out", out, 0, batch * sq, (int) dvAll, dvAll, 1);
        if (batch == 0 || sq == 0 || dv == 0) return;
        float s = (float) (Double.isNaN(scale) ? 1 / Math.sqrt(dh) : scale);
        switch (method) {
            case ELU -> LinearAttentionFeatureMaps.forward(vector, q, k, v, batch, sq, sk, heads, dh, dv, null, dh, causal, s, out, par);
            case FAVOR -> {
                if (size < 1) throw new IllegalArgumentException("linear_attention: favor needs features >= 1, got " + size);
                float[] w = LinearAttentionFeatures.scaled(size, dh, seed, Math.sqrt(s));
                LinearAttentionFeatureMaps.forward(vector, q, k, v, batch, sq, sk, heads, dh, dv, w, size, causal, s, out, par);
            }
            case WINDOW -> {
                if (size < 1) throw new IllegalArgumentException("linear_attention: window needs size >= 1, got " + size);
                // Exact softmax attention over a band: the tiled kernel visits only the keys each query block reaches.
                Attention.run(vector, q, 0, k, 0, v, 0, batch, sq, sk, heads, dh, dv, s, causal, size, null, out, 0, par);
            }
            case NYSTROM -> {
                if (causal) throw new IllegalArgumentException("linear_attention: nystrom needs causal = false");
                if (size < 1) throw new IllegalArgumentException("linear_attention: nystrom needs landmarks >= 1, got " + size);
                LinearAttentionNystrom.forward(vector, q, k, v, batch, sq, sk, heads, dh, dv, size, s, out, par);
            }
            default -> throw new IllegalArgumentException("linear_attention: method " + method);
        }
    }

    /** The attention in double: [batch, sq, heads*dv]. */
    public static double[] forward(double[] qs, double[] ks, double[] vs, int batch, int sq, int sk, int heads, int dh, int dv, int method, int size,
                                   long seed, boolean causal, double scale) {
        int d = heads * dh, dvAll = heads * dv;
        double[] out = new double[batch * sq * dvAll];
        double[] features = method == FAVOR ? favorFeatures(size, dh, seed) : null;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[] qh = slice(qs, b, sq, d, h * dh, dh);
                double[] kh = slice(ks, b, sk, d, h * dh, dh);
                double[] vh = slice(vs, b, sk, dvAll, h * dv, dv);
                double[] oh = switch (method) {
                    case ELU -> linear(elu(qh), elu(kh), vh, sq, sk, dh, dv, causal);
                    case FAVOR -> {
                        double root = Math.sqrt(scale);
                        double[] pq = favorMap(scaled(qh, root), sq, dh, features, size, true);
                        double[] pk = favorMap(scaled(kh, root), sk, dh, features, size, false);
                        yield linear(pq, pk, vh, sq, sk, size, dv, causal);
                    }
                    case WINDOW -> window(qh, kh, vh, sq, sk, dh, dv, size, causal, scale);
                    case NYSTROM -> {
                        if (causal) throw new IllegalArgumentException("linear_attention: nystrom needs causal = false");
                        yield nystrom(qh, kh, vh, sq, sk, dh, dv, size, scale);
                    }
                    default -> throw new IllegalArgumentException("linear_attention: method " + method);
                };
                for (int i = 0; i < sq; i++) System.arraycopy(oh, i * dv, out, (b * sq + i) * dvAll + h * dv, dv);
            }
        }
        return out;
    }

    /**
     * m positive orthogonal random features [m, d] for {@code seed}: blocks of d Gaussian rows made
     * orthonormal by Gram-Schmidt, each row then scaled by the norm of an independent Gaussian
     * d-vector, so every row is marginally N(0, I_d) and rows within a block are orthogonal.
     */
    public static double[] favorFeatures(int m, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[m * d];
        for (int start = 0; start < m; start += d) {
            int rows = Math.min(d, m - start);
            double[] block = new double[d * d];
            for (int i = 0; i < d * d; i++) block[i] = random.nextGaussian();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += block[i * d + c] * block[j * d + c];
                    for (int c = 0; c < d; c++) block[i * d + c] -= dot * block[j * d + c];
                }
                double norm = 0;
                for (int c = 0; c < d; c++) norm += block[i * d + c] * block[i * d + c];
                norm = Math.sqrt(norm);
                for (int c = 0; c < d; c++) block[i * d + c] /= norm;
            }
            for (int i = 0; i < rows; i++) {
                double chi = 0;
                for (int c = 0; c < d; c++) {
                    double g = random.nextGaussian();
                    chi += g * g;
                }
                chi = Math.sqrt(chi);
                for (int c = 0; c < d; c++) w[(start + i) * d + c] = block[i * d + c] * chi;
            }
        }
        return w;
    }

    /**
     * The FAVOR+ feature map of n rows x [n, d]: [n, m]. {@code perRow} stabilizes each row by its
     * own largest exponent (queries), otherwise all rows by the largest over all of them (keys).
     */
    public static double[] favorMap(double[] x, int n, int d, double[] w, int m, boolean perRow) {
        double[] e = new double[n * m];
        double[] wt = new double[d * m]; // w transposed, [d, m], so the dot products below are contiguous axpys
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < d; c++) wt[c * m + r] = w[r * d + c];
        }
        double global = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double half = 0;
            for (int c = 0; c < d; c++) half += x[i * d + c] * x[i * d + c];
            half /= 2;
            // e[i, r] = sum_c w[r, c] x[i, c], accumulated over c in ascending order for every r
            int row = i * m;
            for (int c = 0; c < d; c++) {
                double xc = x[i * d + c];
                for (int r = 0; r < m; r++) e[row + r] += xc * wt[c * m + r];
            }
            for (int r = 0; r < m; r++) {
                e[row + r] -= half;
                global = Math.max(global, e[row + r]);
            }
        }
        double norm = 1 / Math.sqrt(m);
        for (int i = 0; i < n; i++) {
            double shift = global;
            if (perRow) {
                shift = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < m; r++) shift = Math.max(shift, e[i * m + r]);
            }
            for (int r = 0; r < m; r++) e[i * m + r] = Math.exp(e[i * m + r] - shift) * norm;
        }
        return e;
    }

    /** The unstabilized FAVOR+ estimate {@code phi(x) . phi(y)} of {@code exp(x . y)}. */
    public static double favorKernel(double[] x, double[] y, double[] w, int m) {
        int d = x.length;
        double[] px = unstabilized(x, w, m), py = unstabilized(y, w, m);
        double s = 0;
        for (int r = 0; r < m; r++) s += px[r] * py[r];
        return s;
    }

    private static double[] unstabilized(double[] x, double[] w, int m) {
        int d = x.length;
        double half = 0;
        for (double c : x) half += c * c;
        half /= 2;
        double[] p = new double[m];
        for (int r = 0; r < m; r++) {
            double dot = 0;
            for (int c = 0; c < d; c++) dot += w[r * d + c] * x[c];
            p[r] = Math.exp(dot - half) / Math.sqrt(m);
        }
        return p;
    }

    /** {@code elu(x) + 1}, elementwise. */
    public static double[] elu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] + 1 : Math.exp(x[i]);
        return out;
    }

    /**
     * Linear attention on features pq [sq, f], pk [sk, f], v [sk, dv]:
     * {@code out_i = pq_i S / pq_i . z} with S = sum_j pk_j^T v_j [f, dv] and z = sum_j pk_j [f] over the keys
     * visible to i; causal accumulates S and z as prefix sums, so memory is O(f dv), not O(sq sk).
     */
    public static double[] linear(double[] pq, double[] pk, double[] v, int sq, int sk, int f, int dv, boolean causal) {
        double[] out = new double[sq * dv];
        double[] s = new double[f * dv];
        double[] z = new double[f];
        int next = 0; // keys added to s and z so far
        for (int i = 0; i < sq; i++) {
            int visible = causal ? Math.max(0, Math.min(sk, i + sk - sq + 1)) : sk;
            for (; next < visible; next++) {
                for (int r = 0; r < f; r++) {
                    double p = pk[next * f + r];
                    z[r] += p;
                    for (int c = 0; c < dv; c++) s[r * dv + c] += p * v[next * dv + c];
                }
            }
            double den = 0;
            for (int r = 0; r < f; r++) den += pq[i * f + r] * z[r];
            if (den == 0) continue;
            // num[c] = sum_r pq[i, r] s[r, c], accumulated over r in ascending order for every c
            int row = i * dv;
            for (int r = 0; r < f; r++) {
                double p = pq[i * f + r];
                for (int c = 0; c < dv; c++) out[row + c] += p * s[r * dv + c];
            }
            for (int c = 0; c < dv; c++) out[row + c] /= den;
        }
        return out;
    }

    /**
     * The same attention as {@link #linear} as a quadratic form: A = pq pk^T [sq, sk] with the
     * invisible keys masked to 0, out = (A v) / (A 1). The definition {@link #linear} must equal.
     */
    public static double[] quadratic(double[] pq, double[] pk, double[] v, int sq, int sk, int f, int dv, boolean causal) {
        double[] out = new double[sq * dv];
        for (int i = 0; i < sq; i++) {
            int visible = causal ? Math.max(0, Math.min(sk, i + sk - sq + 1)) : sk;
            double den = 0;
            double[] num = new double[dv];
            for (int j = 0; j < visible; j++) {
                double a = 0;
                for (int r = 0; r < f; r++) a += pq[i * f + r] * pk[j * f + r];
                den += a;
                for (int c = 0; c < dv; c++) num[c] += a * v[j * dv + c];
            }
            if (den == 0) continue;
            for (int c = 0; c < dv; c++) out[i * dv + c] = num[c] / den;
        }
        return out;
    }

    /** Exact softmax attention of one head over the keys within {@code w} positions. */
    public static double[] window(double[] q, double[] k, double[] v, int sq, int sk, int dh, int dv, int w, boolean causal, double scale) {
        double[] out = new double[sq * dv];
        for (int i = 0; i < sq; i++) {
            int pos = i + sk - sq;
            int lo = Math.max(0, pos - w + 1);
            int hi = Math.min(sk - 1, causal ? pos : pos + w - 1);
            if (lo > hi) continue;
            double[] scores = new double[hi - lo + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = lo; j <= hi; j++) {
                double dot = 0;
                for (int c = 0; c < dh; c++) dot += q[i * dh + c] * k[j * dh + c];
                scores[j - lo] = dot * scale;
                max = Math.max(max, scores[j - lo]);
            }
            double sum = 0;
            for (int j = 0; j < scores.length; j++) {
                scores[j] = Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = lo; j <= hi; j++) {
                double p = scores[j - lo] / sum;
                for (int c = 0; c < dv; c++) out[i * dv + c] += p * v[j * dv + c];
            }
        }
        return out;
    }

    /**
     * Newton-Schulz iterations of {@link #nystrom}'s pseudo-inverse. From V_0 = A^T / (|A|_1 |A|_inf) the
     * residual along a singular value s of A is (1 - s^2 / (|A|_1 |A|_inf))^(2^k): 16 iterations
     * invert the singular values above about 2^-8 sqrt(|A|_1 |A|_inf) and damp the smaller ones, a
     * spectral filter that bounds |V_k| (the regularization). Measured on the tiny encoder (S = 256,
     * 8 and 32 landmarks), output error against exact attention: 64 iterations 0.84 and 0.30 (a full
     * pseudo-inverse of the ill-conditioned landmark matrix amplifies the approximation error), 24
     * iterations 0.042 and 0.029, 16 iterations 0.014 and 0.011, 8 iterations 0.014 and 0.014.
     */
    public static final int NEWTON_SCHULZ_ITERATIONS = 16;

    /**
     * Nystrom attention of one head (Nystromformer, Xiong et al. 2021): landmarks are the means of
     * {@code min(l, S)} contiguous segments of the queries and of the keys (segment i covers rows
     * floor(i S / l) to floor((i + 1) S / l) - 1), and with F = softmax(s Q Kl^T) [sq, lk],
     * A = softmax(s Ql Kl^T) [lq, lk], Bm = softmax(s Ql K^T) [lq, sk]:
     * {@code out = F pinv(A) (Bm V)}, pinv(A) by {@link #newtonSchulz}. With a landmark per token
     * F = A = Bm = softmax(s Q K^T) = P and out = P pinv(P) P V = P V, exact attention.
     */
    public static double[] nystrom(double[] q, double[] k, double[] v, int sq, int sk, int dh, int dv, int landmarks, double scale) {
        int lq = Math.min(landmarks, sq), lk = Math.min(landmarks, sk);
        double[] ql = segmentMeans(q, sq, dh, lq);
        double[] kl = segmentMeans(k, sk, dh, lk);
        double[] f = softmaxRows(scores(q, kl, sq, lk, dh, scale), sq, lk);
        double[] a = softmaxRows(scores(ql, kl, lq, lk, dh, scale), lq, lk);
        double[] bm = softmaxRows(scores(ql, k, lq, sk, dh, scale), lq, sk);
        double[] pinv = pseudoInverse(a, lq, lk); // [lk, lq]
        double[] bv = matmul(bm, v, lq, sk, dv);                          // [lq, dv]
        return matmul(f, matmul(pinv, bv, lk, lq, dv), sq, lk, dv);
    }

    /** The means of l contiguous segments of the n rows of x [n, d]: [l, d]. */
    public static double[] segmentMeans(double[] x, int n, int d, int l) {
        double[] out = new double[l * d];
        for (int i = 0; i < l; i++) {
            int from = (int) ((long) i * n / l), to = (int) ((long) (i + 1) * n / l);
            for (int r = from; r < to; r++) {
                for (int c = 0; c < d; c++) out[i * d + c] += x[r * d + c];
            }
            for (int c = 0; c < d; c++) out[i * d + c] /= to - from;
        }
        return out;
    }

    /** {@link #nystrom}'s pseudo-inverse of a [m, n]: {@link #newtonSchulz} with {@link #NEWTON_SCHULZ_ITERATIONS}. Returns [n, m]. */
    public static double[] pseudoInverse(double[] a, int m, int n) {
        return newtonSchulz(a, m, n, NEWTON_SCHULZ_ITERATIONS);
    }

    /**
     * {@code V_0 = a^T / (||a||_1 ||a||_inf)} [n, m] of a [m, n], the start of the Newton-Schulz iteration (its
     * residual I - a V_0 has spectral norm below 1); null when a is zero (its pseudo-inverse is then zero).
     */
    static double[] newtonSchulzStart(double[] a, int m, int n) {
        double norm1 = 0, normInf = 0;
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (int r = 0; r < m; r++) s += Math.abs(a[r * n + c]);
            norm1 = Math.max(norm1, s);
        }
        for (int r = 0; r < m; r++) {
            double s = 0;
            for (int c = 0; c < n; c++) s += Math.abs(a[r * n + c]);
            normInf = Math.max(normInf, s);
        }
        if (norm1 == 0) return null;
        double[] v = new double[n * m];
        double alpha = 1 / (norm1 * normInf);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) v[c * m + r] = alpha * a[r * n + c];
        }
        return v;
    }

    /**
     * The Newton-Schulz iteration for the pseudo-inverse of a [m, n]: {@code V_0 = a^T / (||a||_1 ||a||_inf)},
     * {@code V_{k+1} = V_k (2 I - a V_k)}, so that {@code I - a V_{k+1} = (I - a V_k)^2} and
     * {@code I - a V_k = (I - a V_0)^(2^k)}. Returns V_iterations [n, m].
     */
    public static double[] newtonSchulz(double[] a, int m, int n, int iterations) {
        double[] v = newtonSchulzStart(a, m, n);
        if (v == null) return new double[n * m];
        for (int it = 0; it < iterations; it++) {
            double[] av = matmul(a, v, m, n, m); // [m, m]
            for (int i = 0; i < m * m; i++) av[i] = -av[i];
            for (int i = 0; i < m; i++) av[i * m + i] += 2;
            v = matmul(v, av, n, m, m);
        }
        return v;
    }

    /** a [m, k] @ b [k, n]. */
    public static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = a[i * k + p];
                if (x == 0) continue;
                for (int j = 0; j < n; j++) out[i * n + j] += x * b[p * n + j];
            }
        }
        return out;
    }

    private static double[] scores(double[] a, double[] b, int m, int n, int d, double scale) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += a[i * d + c] * b[j * d + c];
                out[i * n + j] = dot * scale;
            }
        }
        return out;
    }

    private static double[] softmaxRows(double[] x, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[i * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = Math.exp(x[i * cols + j] - max);
                sum += x[i * cols + j];
            }
            for (int j = 0; j < cols; j++) x[i * cols + j] /= sum;
        }
        return x;
    }

    private static double[] slice(double[] x, int b, int rows, int width, int from, int count) {
        double[] out = new double[rows * count];
        for (int i = 0; i < rows; i++) System.arraycopy(x, (b * rows + i) * width + from, out, i * count, count);
        return out;
    }

    private static double[] scaled(double[] x, double factor) {
        double[] out = Arrays.copyOf(x, x.length);
        for (int i = 0; i < out.length; i++) out[i] *= factor;
        return out;
    }
}
