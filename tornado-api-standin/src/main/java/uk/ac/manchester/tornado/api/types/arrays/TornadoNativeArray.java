package uk.ac.manchester.tornado.api.types.arrays;

/**
 * The arrays a task graph moves between host and device. Stand-in: heap-backed; {@link #newZeroedLike()}
 * and {@link #copyFrom} are the stand-in's own (they simulate the device copies, not TornadoVM API).
 */
public abstract class TornadoNativeArray {
    TornadoNativeArray() {}

    public abstract int getSize();

    abstract Object storage();

    /** Stand-in only: a zeroed array of the same type and size (the simulated device buffer). */
    public abstract TornadoNativeArray newZeroedLike();

    /** Stand-in only: copies every element of {@code other} (same type and size) into this array. */
    public final void copyFrom(TornadoNativeArray other) {
        if (other.getClass() != getClass() || other.getSize() != getSize()) {
            throw new IllegalArgumentException("cannot copy a " + other.getClass().getSimpleName() + "[" + other.getSize() + "] into a "
                    + getClass().getSimpleName() + "[" + getSize() + "]");
        }
        System.arraycopy(other.storage(), 0, storage(), 0, getSize());
    }
}
