package dev.lathe.testkit;

import dev.lathe.ir.TensorType;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators of {@link Tensor}s and static shapes, and seeded sampling of tensors
 * with the same distributions.
 *
 * <p>The generators draw every element separately, so a failing tensor shrinks element by element
 * towards zero (floats towards {@link ValueRange#center()}, integers towards the value of their
 * range nearest zero, bools towards false): keep them small (up to a few thousand elements). The
 * failing value is described with all its elements when it has at most {@value #DESCRIBED_ELEMENTS}.
 *
 * <pre>{@code
 * qt().forAll(TensorGens.tensors(TensorType.of(DType.F32, 2, 3)))
 *     .checkAssert(t -> assertEquals(6, t.size()));
 * }</pre>
 */
public final class TensorGens {
    /** Integer elements default to this range, small enough to keep products exact. */
    public static final long DEFAULT_INT_MIN = -8;
    public static final long DEFAULT_INT_MAX = 8;

    static final int DESCRIBED_ELEMENTS = 64;

    private TensorGens() {}

    /**
     * Static shapes of rank {@code minRank..maxRank} (rank 0 is a scalar) with every dim in
     * {@code 1..maxDim}. Shrinks towards rank {@code minRank} and dims of 1.
     */
    public static Gen<long[]> staticShapes(int minRank, int maxRank, int maxDim) {
        if (minRank < 0 || maxRank < minRank || maxRank > Tensor.MAX_RANK) {
            throw new IllegalArgumentException("ranks " + minRank + ".." + maxRank + " are not within 0.." + Tensor.MAX_RANK);
        }
        if (maxDim < 1) throw new IllegalArgumentException("maxDim " + maxDim + " is below 1");
        Gen<Integer> rank = Generate.range(minRank, maxRank, minRank);
        Gen<Integer> dim = Generate.range(1, maxDim, 1);
        // Every dim slot is drawn whatever the rank, so shrinking the rank keeps the other dims.
        Gen<long[]> gen = in -> {
            int r = rank.generate(in);
            long[] dims = new long[maxRank];
            for (int i = 0; i < maxRank; i++) dims[i] = dim.generate(in);
            return Arrays.copyOf(dims, r);
        };
        return gen.describedAs(Arrays::toString);
    }

    /**
     * Tensors of a static type: floats from {@link ValueRange#DEFAULT}, integers in
     * {@code DEFAULT_INT_MIN..DEFAULT_INT_MAX} (clamped to what the dtype holds), bools.
     */
    public static Gen<Tensor> tensors(TensorType type) {
        return tensors(type, ValueRange.DEFAULT);
    }

    /** Tensors of a static type; float elements from {@code values} (integers and bools as in {@link #tensors(TensorType)}). */
    public static Gen<Tensor> tensors(TensorType type, ValueRange values) {
        long[] shape = staticShape(type);
        DType dtype = type.dtype();
        if (dtype.isFloating()) return floats(dtype, shape, values);
        if (dtype == DType.BOOL) return bools(shape);
        long[] range = intRange(dtype);
        return integers(dtype, shape, range[0], range[1]);
    }

    /** Tensors of {@code dtype} (any float type) and {@code shape} with elements from {@code values}. */
    public static Gen<Tensor> floats(DType dtype, long[] shape, ValueRange values) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(dtype + " is not a float type");
        int n = size(shape);
        long[] dims = shape.clone();
        Gen<Integer> category = Generate.range(0, ValueRange.CATEGORIES - 1, 0);
        Gen<Boolean> side = Generate.booleans();
        Gen<Integer> bits = Generate.range(0, (1 << ValueRange.BITS) - 1, 0);
        Gen<Tensor> gen = in -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = values.element(category.generate(in), side.generate(in), bits.generate(in));
            return Tensor.fromDoubles(dtype, dims, v);
        };
        return gen.describedAs(TensorGens::describe);
    }

    /**
     * Integer tensors (for indices: {@code gather}, {@code embedding}) with every element in
     * {@code lo..hi}, shrinking towards the value of the range nearest zero.
     */
    public static Gen<Tensor> integers(DType dtype, long[] shape, long lo, long hi) {
        if (!dtype.isInteger()) throw new IllegalArgumentException(dtype + " is not an integer type");
        if (lo > hi) throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        int n = size(shape);
        long[] dims = shape.clone();
        Gen<Long> element = Generate.longRange(lo, hi, Math.clamp(0, lo, hi));
        Gen<Tensor> gen = in -> {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = element.generate(in);
            return Tensor.ofLongs(dtype, dims, v);
        };
        return gen.describedAs(TensorGens::describe);
    }

    /** Bool tensors of {@code shape}. */
    public static Gen<Tensor> bools(long[] shape) {
        int n = size(shape);
        long[] dims = shape.clone();
        Gen<Boolean> element = Generate.booleans();
        Gen<Tensor> gen = in -> {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) v[i] = element.generate(in);
            return Tensor.ofBooleans(dims, v);
        };
        return gen.describedAs(TensorGens::describe);
    }

    /**
     * A tensor of a static type drawn from {@code seed} with the distribution of
     * {@link #tensors(TensorType, ValueRange)}: the same seed gives the same tensor, bit for bit.
     * For data that need not shrink, such as the params and inputs of generated graphs.
     */
    public static Tensor sample(TensorType type, ValueRange values, long seed) {
        long[] shape = staticShape(type);
        DType dtype = type.dtype();
        if (dtype.isInteger()) {
            long[] range = intRange(dtype);
            return sampleIntegers(dtype, shape, range[0], range[1], seed);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int n = size(shape);
        if (dtype == DType.BOOL) {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) v[i] = random.nextBoolean();
            return Tensor.ofBooleans(shape, v);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = values.sample(random);
        return Tensor.fromDoubles(dtype, shape, v);
    }

    /** An integer tensor with every element in {@code lo..hi}, drawn from {@code seed}. */
    public static Tensor sampleIntegers(DType dtype, long[] shape, long lo, long hi, long seed) {
        if (!dtype.isInteger()) throw new IllegalArgumentException(dtype + " is not an integer type");
        if (lo > hi) throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        SplittableRandom random = new SplittableRandom(seed);
        long[] v = new long[size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = random.nextLong(lo, hi + 1);
        return Tensor.ofLongs(dtype, shape, v);
    }

    /** {@code f32[2, 3] [0.0, 1.5, ...]} with every element when there are few enough. */
    static String describe(Tensor t) {
        if (t.size() > DESCRIBED_ELEMENTS) return t.toString();
        StringBuilder sb = new StringBuilder(t.dtype().sourceName()).append(Arrays.toString(t.shape())).append(" [");
        for (int i = 0; i < t.size(); i++) {
            if (i > 0) sb.append(", ");
            if (t.dtype().isFloating()) {
                sb.append(t.dtype() == DType.F64 ? Double.toString(t.getDouble(i)) : Float.toString((float) t.getDouble(i)));
            } else if (t.dtype() == DType.BOOL) {
                sb.append(t.getBoolean(i));
            } else {
                sb.append(t.getLong(i));
            }
        }
        return sb.append(']').toString();
    }

    private static long[] staticShape(TensorType type) {
        if (!type.isStatic()) {
            throw new IllegalArgumentException(type + " has symbolic dims; substitute their values first");
        }
        return type.staticShape();
    }

    private static int size(long[] shape) {
        return Math.toIntExact(Tensor.checkedSize(shape));
    }

    /** The default integer range, clamped to what {@code dtype} holds (u4: 0..8, i4: -8..7). */
    private static long[] intRange(DType dtype) {
        return switch (dtype) {
            case U8, U4 -> new long[] {0, DEFAULT_INT_MAX};
            case I4 -> new long[] {DEFAULT_INT_MIN, 7};
            default -> new long[] {DEFAULT_INT_MIN, DEFAULT_INT_MAX};
        };
    }
}
