package dev.lathe.interp;

import dev.lathe.runtime.Erf;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Elementwise ops of LANGUAGE.md §6 [ONNX Add Sub Mul Div Pow Max Min, Neg ... Softplus, Gelu,
 * LeakyRelu, Clip, Where, Equal Less Greater]. Binary ops broadcast as numpy does. Float dtypes
 * compute in double and round once; integer dtypes compute in long (exact, wrapping to the dtype's
 * width) where the op is integer arithmetic, else in double and truncate toward zero.
 */
public final class ElementwiseOps {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private ElementwiseOps() {}

    public static Tensor add(Tensor a, Tensor b) {
        return binary("add", a, b, Double::sum, Long::sum);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary("sub", a, b, (x, y) -> x - y, (x, y) -> x - y);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary("mul", a, b, (x, y) -> x * y, (x, y) -> x * y);
    }

    /** Integer division truncates toward zero, as C and ONNX Runtime do; dividing by 0 is an error. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary("div", a, b, (x, y) -> x / y, (x, y) -> {
            if (y == 0) throw new InterpreterException("div: integer division by zero");
            return x / y;
        });
    }

    public static Tensor pow(Tensor a, Tensor b) {
        return binary("pow", a, b, Math::pow, null);
    }

    /** Elementwise maximum; NaN wins, as in ONNX Max and numpy.maximum. */
    public static Tensor max(Tensor a, Tensor b) {
        return binary("max", a, b, Math::max, Math::max);
    }

    public static Tensor min(Tensor a, Tensor b) {
        return binary("min", a, b, Math::min, Math::min);
    }

    public static Tensor neg(Tensor x) {
        return unary(x, v -> -v, v -> -v);
    }

    public static Tensor abs(Tensor x) {
        return unary(x, Math::abs, Math::abs);
    }

    public static Tensor exp(Tensor x) {
        return unary(x, Math::exp, null);
    }

    public static Tensor log(Tensor x) {
        return unary(x, Math::log, null);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(x, Math::sqrt, null);
    }

    /** 1 / sqrt(x) [Reciprocal(Sqrt)], rounded once rather than after each of the two steps. */
    public static Tensor rsqrt(Tensor x) {
        return unary(x, v -> 1 / Math.sqrt(v), null);
    }

    public static Tensor erf(Tensor x) {
        return unary(x, Erf::erf, null);
    }

    public static Tensor tanh(Tensor x) {
        return unary(x, Math::tanh, null);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(x, ElementwiseOps::sigmoid, null);
    }

    public static Tensor relu(Tensor x) {
        return unary(x, v -> Math.max(v, 0.0), v -> Math.max(v, 0));
    }

    /** x * sigmoid(x), also called swish. */
    public static Tensor silu(Tensor x) {
        return unary(x, v -> v * sigmoid(v), null);
    }

    /** log(1 + e^x), written as max(x, 0) + log1p(e^-|x|) so that large |x| neither overflows nor loses digits. */
    public static Tensor softplus(Tensor x) {
        return unary(x, v -> Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))), null);
    }

    /**
     * [Gelu, opset 20]: {@code "erf"} is x/2 * (1 + erf(x/sqrt 2)); {@code "tanh"} is the
     * approximation x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
     */
    public static Tensor gelu(Tensor x, String mode) {
        return switch (mode) {
            case "erf" -> unary(x, v -> 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2))), null);
            case "tanh" -> unary(x, v -> 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))), null);
            default -> throw new IllegalArgumentException("gelu: mode must be \"erf\" or \"tanh\", not \"" + mode + "\"");
        };
    }

    public static Tensor leakyRelu(Tensor x, double alpha) {
        return unary(x, v -> v >= 0 ? v : alpha * v, null);
    }

    /** [Clip]: a null bound does not clip on that side. */
    public static Tensor clip(Tensor x, Double min, Double max) {
        double lo = min == null ? Double.NEGATIVE_INFINITY : min;
        double hi = max == null ? Double.POSITIVE_INFINITY : max;
        return unary(x, v -> Double.isNaN(v) ? v : Math.min(Math.max(v, lo), hi), null);
    }

    /** [Where]: {@code a} where {@code cond} is true, else {@code b}; all three broadcast. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) throw new IllegalArgumentException("where: cond must be bool, not " + cond.dtype().sourceName());
        requireSameDtype("where", a, b);
        long[] shape = Broadcasting.shape("where", cond.shape(), a.shape(), b.shape());
        int[] ci = Broadcasting.sourceIndices("where", cond.shape(), shape);
        int[] ai = Broadcasting.sourceIndices("where", a.shape(), shape);
        int[] bi = Broadcasting.sourceIndices("where", b.shape(), shape);
        ElementBuffer out = new ElementBuffer(a.dtype(), ci.length);
        for (int i = 0; i < ci.length; i++) {
            if (cond.getBoolean(ci[i])) out.copy(i, a, ai[i]);
            else out.copy(i, b, bi[i]);
        }
        return out.toTensor(shape);
    }

    public static Tensor equal(Tensor a, Tensor b) {
        return compare("equal", a, b, Order.EQUAL);
    }

    public static Tensor less(Tensor a, Tensor b) {
        return compare("less", a, b, Order.LESS);
    }

    public static Tensor greater(Tensor a, Tensor b) {
        return compare("greater", a, b, Order.GREATER);
    }

    private static double sigmoid(double v) {
        // Both branches keep exp's argument <= 0, so neither overflows.
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }

    /** Applies {@code f} (floats) or {@code g} (integers; null means compute in double and truncate). */
    private static Tensor unary(Tensor x, DoubleUnaryOperator f, LongUnaryOperator g) {
        if (x.dtype().isInteger() && g != null) {
            long[] out = new long[x.size()];
            for (int i = 0; i < out.length; i++) out[i] = g.applyAsLong(x.getLong(i));
            return Store.longs(x.dtype(), x.shape(), out);
        }
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(x.getDouble(i));
        return Store.doubles(x.dtype(), x.shape(), out);
    }

    private static Tensor binary(String op, Tensor a, Tensor b, DoubleBinaryOperator f, LongBinaryOperator g) {
        requireSameDtype(op, a, b);
        long[] shape = Broadcasting.shape(op, a.shape(), b.shape());
        int[] ai = Broadcasting.sourceIndices(op, a.shape(), shape);
        int[] bi = Broadcasting.sourceIndices(op, b.shape(), shape);
        if (a.dtype().isInteger() && g != null) {
            long[] out = new long[ai.length];
            for (int i = 0; i < out.length; i++) out[i] = g.applyAsLong(a.getLong(ai[i]), b.getLong(bi[i]));
            return Store.longs(a.dtype(), shape, out);
        }
        double[] out = new double[ai.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(a.getDouble(ai[i]), b.getDouble(bi[i]));
        return Store.doubles(a.dtype(), shape, out);
    }

    /** How two elements compare; NaN is unordered with everything, so every comparison with it is false. */
    private enum Order { LESS, EQUAL, GREATER, UNORDERED }

    private static Tensor compare(String op, Tensor a, Tensor b, Order wanted) {
        requireSameDtype(op, a, b);
        long[] shape = Broadcasting.shape(op, a.shape(), b.shape());
        int[] ai = Broadcasting.sourceIndices(op, a.shape(), shape);
        int[] bi = Broadcasting.sourceIndices(op, b.shape(), shape);
        boolean[] out = new boolean[ai.length];
        for (int i = 0; i < out.length; i++) {
            Order order;
            if (a.dtype().isFloating()) {
                double x = a.getDouble(ai[i]);
                double y = b.getDouble(bi[i]);
                order = x < y ? Order.LESS : x > y ? Order.GREATER : x == y ? Order.EQUAL : Order.UNORDERED;
            } else {
                int c = Long.compare(a.getLong(ai[i]), b.getLong(bi[i]));
                order = c < 0 ? Order.LESS : c > 0 ? Order.GREATER : Order.EQUAL;
            }
            out[i] = order == wanted;
        }
        return Tensor.ofBooleans(shape, out);
    }

    static void requireSameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": operands are " + a.dtype().sourceName() + " and " + b.dtype().sourceName());
        }
    }
}
