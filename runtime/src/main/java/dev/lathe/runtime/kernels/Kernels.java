package dev.lathe.runtime.kernels;

/**
 * Chooses, once at start-up, between the Vector API kernels and the scalar ones.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which the JVM resolves
 * only when started with {@code --add-modules jdk.incubator.vector}. Every class that names a vector
 * type is a separate {@code *Vector} class that the facades ({@link Gemm}, {@link Softmax}, ...) call
 * only when {@link #vectorized()} is true, so without the flag those classes are never loaded and the
 * runtime runs on the {@code *Scalar} classes instead of failing with {@code NoClassDefFoundError}.
 *
 * <p>The system property {@code lathe.kernels=scalar} forces the scalar kernels (for comparisons and
 * for JVMs whose vector code is slow); {@code lathe.kernels=vector} is the default when available.
 */
public final class Kernels {
    static final boolean VECTOR;
    private static final String DESCRIPTION;

    static {
        String forced = System.getProperty("lathe.kernels", "");
        boolean vector = false;
        String description;
        if (forced.equalsIgnoreCase("scalar")) {
            description = "scalar (forced by -Dlathe.kernels=scalar)";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            description = "scalar (start the JVM with --add-modules jdk.incubator.vector for the Vector API kernels)";
        } else {
            int lanes;
            try {
                lanes = VectorShape.floatLanes();
            } catch (LinkageError | RuntimeException e) {
                lanes = 0;
            }
            // Below 4 float lanes (no SIMD, or a JVM without vector intrinsics) the vector code only
            // adds overhead.
            vector = lanes >= 4;
            description = vector
                    ? "vector (FloatVector, " + lanes + " lanes of " + 32 * lanes + " bits)"
                    : "scalar (the preferred vector species has " + lanes + " float lanes)";
        }
        VECTOR = vector;
        DESCRIPTION = description;
    }

    private Kernels() {}

    /** True when the Vector API kernels are in use. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** One line naming the kernels in use and why, for logs and {@code lathe bench}. */
    public static String describe() {
        return DESCRIPTION;
    }
}
