package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;

/** The only place {@link Kernels} touches the Vector API; loaded only when the module is present. */
final class VectorShape {
    private VectorShape() {}

    static int floatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }
}
