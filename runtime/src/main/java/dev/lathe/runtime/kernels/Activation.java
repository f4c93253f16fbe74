package dev.lathe.runtime.kernels;

/**
 * The activations a GEMM epilogue or {@link Activations#apply} can apply, elementwise.
 * <ul>
 *   <li>{@code NONE}: x</li>
 *   <li>{@code RELU}: max(x, 0) (NaN stays NaN)</li>
 *   <li>{@code GELU_ERF}: x/2 * (1 + erf(x / sqrt 2))</li>
 *   <li>{@code GELU_TANH}: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))</li>
 *   <li>{@code SILU}: x * sigmoid(x)</li>
 *   <li>{@code SIGMOID}: 1 / (1 + exp(-x))</li>
 *   <li>{@code TANH}: tanh(x)</li>
 * </ul>
 */
public enum Activation {
    NONE, RELU, GELU_ERF, GELU_TANH, SILU, SIGMOID, TANH
}
