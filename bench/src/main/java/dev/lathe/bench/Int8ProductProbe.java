package dev.lathe.bench;

import dev.lathe.runtime.kernels.Epilogue;
import dev.lathe.runtime.kernels.Gemm;
import dev.lathe.runtime.kernels.PackedMatrix;
import dev.lathe.runtime.kernels.Parallelism;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Why issue 5's "int8 dynamic GEMM 1.5x faster than f32" is out of reach in pure Java on JDK 25: the
 * fastest integer-product forms the JVM offers, each against the f32 GEMM on the same 512³ product
 * (one thread). Every method computes C = A · Wᵀ with A and W int8 values in [-127, 127]; the score is
 * time per product, so equal scores mean equal multiply-accumulates per second.
 * <ul>
 *   <li>{@code f32Gemm}: the runtime's packed f32 GEMM (the baseline, ~16 multiply-adds per cycle).</li>
 *   <li>{@code vectorApiWideningShorts}: the fastest Vector API integer form found: int8 values held in
 *       shorts, {@code ShortVector} multiplies (a product fits 16 bits), two k pairs summed in 16 bits,
 *       then widened ({@code S2I}) into int accumulators; register-blocked 2 rows x 2 vectors (larger
 *       blocks exceed C2's inlining node budget and box every vector). There is no widening multiply-add
 *       ({@code vpmaddwd} / VNNI {@code vpdpbusd}) in the API, so each product costs more instructions
 *       than one f32 FMA lane.</li>
 *   <li>{@code autoVectorizedMulAddS2I}: the one loop shape C2 compiles to {@code vpmaddwd} /
 *       {@code vpdpwssd} ({@code out[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]}). A GEMM in that shape needs
 *       A's k pair broadcast into an array for every (row, k pair); this probe skips that cost (it
 *       multiplies every k pair of a row by the row's first pair of A), so it is an upper bound on the
 *       shape's speed. The shape streams C through memory on every k pair: load/store-bound.</li>
 * </ul>
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar Int8ProductProbe}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Int8ProductProbe {
    private static final VectorSpecies<Short> SS = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    /** Output columns per panel: two short vectors, each holding one k pair of {@code SS.length() / 2} columns. */
    private static final int PANEL = SS.length();
    /** Broadcasts lanes (0, 1) and (2, 3) of a short vector: A's two k pairs of one 4-step. */
    private static final VectorShuffle<Short> PAIR0 = VectorShuffle.fromOp(SS, i -> i & 1);
    private static final VectorShuffle<Short> PAIR1 = VectorShuffle.fromOp(SS, i -> 2 + (i & 1));

    static final int N = 512;

    @State(Scope.Benchmark)
    public static class Operands {
        float[] af;
        PackedMatrix wf;
        float[] cf;
        /** A as shorts, row-major, padded by one vector for the last row's loads. */
        short[] aShorts;
        /**
         * W as shorts in panels of {@code PANEL} columns: per 4 k-steps, [k pair of 2][column half][column][2],
         * so one short vector holds half a panel's columns for one k pair, k-minor.
         */
        short[] wPanels;
        /** For the auto-vectorized shape: one row's k pair broadcast over every column, [N][2]. */
        short[] aBroadcast;
        /** W as shorts [k pair][column][2]. */
        short[] wRows;
        int[] ci;

        @Setup
        public void setup() {
            Random r = new Random(5);
            int[] a = new int[N * N], w = new int[N * N];
            for (int i = 0; i < a.length; i++) a[i] = r.nextInt(255) - 127;
            for (int i = 0; i < w.length; i++) w[i] = r.nextInt(255) - 127;
            af = new float[N * N];
            float[] wfl = new float[N * N];
            for (int i = 0; i < a.length; i++) { af[i] = a[i]; wfl[i] = w[i]; }
            wf = Gemm.pack(wfl, 0, N, N, true);
            cf = new float[N * N];
            aShorts = new short[N * N + SS.length()];
            for (int t = 0; t < N * N; t++) aShorts[t] = (short) a[t];
            wPanels = new short[N * N];
            int i = 0;
            for (int j0 = 0; j0 < N; j0 += PANEL) {
                for (int k = 0; k < N; k += 4) {
                    for (int half = 0; half < 2; half++) {
                        for (int j = j0; j < j0 + PANEL; j++) {
                            wPanels[i++] = (short) w[j * N + k + 2 * half];
                            wPanels[i++] = (short) w[j * N + k + 2 * half + 1];
                        }
                    }
                }
            }
            wRows = new short[N * N];
            for (int p = 0; p < N / 2; p++) {
                for (int j = 0; j < N; j++) {
                    wRows[(p * N + j) * 2] = (short) w[j * N + 2 * p];
                    wRows[(p * N + j) * 2 + 1] = (short) w[j * N + 2 * p + 1];
                }
            }
            aBroadcast = new short[2 * N];
            ci = new int[N * N];
            checkAgainstF32(a, w);
        }

        /** The integer forms must compute the same products as the f32 GEMM (exact: sums stay below 2^24). */
        private void checkAgainstF32(int[] a, int[] w) {
            Gemm.gemm(N, af, 0, N, wf, cf, 0, N, Epilogue.NONE, Parallelism.SERIAL);
            widening(this);
            for (int t = 0; t < cf.length; t++) {
                if (ci[t] != (int) cf[t]) throw new IllegalStateException("widening form differs at " + t);
            }
            mulAddS2I(this);
            long expected = 0; // row N-1's first pair of A against every k pair of W's column 3
            for (int k = 0; k < N; k++) expected += (long) a[(N - 1) * N + k % 2] * w[3 * N + k];
            if (ci[(N - 1) * N + 3] != expected) throw new IllegalStateException("MulAddS2I form differs");
        }
    }

    @Benchmark
    public float[] f32Gemm(Operands s) {
        Gemm.gemm(N, s.af, 0, N, s.wf, s.cf, 0, N, Epilogue.NONE, Parallelism.SERIAL);
        return s.cf;
    }

    @Benchmark
    public int[] vectorApiWideningShorts(Operands s) {
        return widening(s);
    }

    @Benchmark
    public int[] autoVectorizedMulAddS2I(Operands s) {
        return mulAddS2I(s);
    }

    private static int[] widening(Operands s) {
        int[] tile = new int[4 * PANEL];
        for (int j0 = 0; j0 < N; j0 += PANEL) {
            for (int m = 0; m < N; m += 2) {
                tile2xPanel(s.aShorts, m * N, s.wPanels, j0 * N, tile);
                for (int r = 0; r < 2; r++) {
                    for (int j = 0; j < PANEL; j++) {
                        s.ci[(m + r) * N + j0 + j] = tile[r * 2 * PANEL + 2 * j] + tile[r * 2 * PANEL + 2 * j + 1];
                    }
                }
            }
        }
        return s.ci;
    }

    /**
     * Two rows of A times one panel of W, 4 k-steps per iteration: 16-bit products (|a·w| ≤ 127²), two
     * k pairs summed in 16 bits (≤ 2·127², still fits), then widened into int accumulators whose
     * adjacent lanes (the two k parities of one column) the caller adds.
     */
    private static void tile2xPanel(short[] a, int a0, short[] w, int wb, int[] tile) {
        IntVector p00 = IntVector.zero(IS), p01 = IntVector.zero(IS), p02 = IntVector.zero(IS), p03 = IntVector.zero(IS);
        IntVector p10 = IntVector.zero(IS), p11 = IntVector.zero(IS), p12 = IntVector.zero(IS), p13 = IntVector.zero(IS);
        int l = SS.length();
        for (int k = 0; k < N; k += 4, wb += 4 * l) {
            ShortVector b00 = ShortVector.fromArray(SS, w, wb), b01 = ShortVector.fromArray(SS, w, wb + l);
            ShortVector b10 = ShortVector.fromArray(SS, w, wb + 2 * l), b11 = ShortVector.fromArray(SS, w, wb + 3 * l);
            ShortVector x = ShortVector.fromArray(SS, a, a0 + k);
            ShortVector x0 = x.rearrange(PAIR0), x1 = x.rearrange(PAIR1);
            ShortVector s0 = x0.mul(b00).add(x1.mul(b10)), s1 = x0.mul(b01).add(x1.mul(b11));
            p00 = p00.add(s0.convertShape(VectorOperators.S2I, IS, 0).reinterpretAsInts());
            p01 = p01.add(s0.convertShape(VectorOperators.S2I, IS, 1).reinterpretAsInts());
            p02 = p02.add(s1.convertShape(VectorOperators.S2I, IS, 0).reinterpretAsInts());
            p03 = p03.add(s1.convertShape(VectorOperators.S2I, IS, 1).reinterpretAsInts());
            x = ShortVector.fromArray(SS, a, a0 + N + k);
            x0 = x.rearrange(PAIR0);
            x1 = x.rearrange(PAIR1);
            s0 = x0.mul(b00).add(x1.mul(b10));
            s1 = x0.mul(b01).add(x1.mul(b11));
            p10 = p10.add(s0.convertShape(VectorOperators.S2I, IS, 0).reinterpretAsInts());
            p11 = p11.add(s0.convertShape(VectorOperators.S2I, IS, 1).reinterpretAsInts());
            p12 = p12.add(s1.convertShape(VectorOperators.S2I, IS, 0).reinterpretAsInts());
            p13 = p13.add(s1.convertShape(VectorOperators.S2I, IS, 1).reinterpretAsInts());
        }
        int q = IS.length();
        p00.intoArray(tile, 0);
        p01.intoArray(tile, q);
        p02.intoArray(tile, 2 * q);
        p03.intoArray(tile, 3 * q);
        p10.intoArray(tile, 4 * q);
        p11.intoArray(tile, 5 * q);
        p12.intoArray(tile, 6 * q);
        p13.intoArray(tile, 7 * q);
    }

    private static int[] mulAddS2I(Operands s) {
        short[] ab = s.aBroadcast, w = s.wRows;
        int[] c = s.ci;
        for (int m = 0; m < N; m++) {
            int row = m * N;
            java.util.Arrays.fill(c, row, row + N, 0);
            int pair = (s.aShorts[m * N + 1] << 16) | (s.aShorts[m * N] & 0xFFFF);
            fillPair(ab, (short) pair, (short) (pair >> 16));
            for (int p = 0; p < N / 2; p++) mulAdd(ab, w, p * N * 2, c, row);
        }
        return c;
    }

    private static void fillPair(short[] ab, short lo, short hi) {
        for (int i = 0; i < ab.length; i += 2) {
            ab[i] = lo;
            ab[i + 1] = hi;
        }
    }

    /** The shape C2's SuperWord turns into MulAddVS2VI (vpmaddwd, vpdpwssd with AVX-512 VNNI). */
    private static void mulAdd(short[] a, short[] w, int wOff, int[] c, int cOff) {
        for (int i = 0; i < N; i++) {
            c[cOff + i] += a[2 * i] * w[wOff + 2 * i] + a[2 * i + 1] * w[wOff + 2 * i + 1];
        }
    }
}
