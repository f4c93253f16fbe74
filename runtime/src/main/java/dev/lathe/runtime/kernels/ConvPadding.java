package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The zero-padded image copy and the tap offsets that the Vector API conv kernels ({@link ConvDirectVector},
 * {@link ConvDirectPooledVector}, {@link ConvRowsVector}, {@link ConvImplicitVector}) share: each image is
 * copied once into planes [cin, hp, wp] with the padding zero, so that tap i = (c, ky, kx) of an output
 * pixel is a fixed offset {@code tapOff[i]} from the pixel's first input.
 */
final class ConvPadding {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Zero floats after the last plane: kernels read whole vectors (up to two) past a row's end. */
    static final int TAIL = 2 * L;
    /** The offsets, per calling thread (read by the workers during the call). */
    private static final ThreadLocal<int[]> TAP_OFFSETS = ThreadLocal.withInitial(() -> new int[64]);

    private ConvPadding() {}

    /** Floats one padded image takes, its zero tail included. */
    static int imageFloats(int cin, int plane) {
        return cin * plane + TAIL;
    }

    /**
     * Copies image x [cin, h, w] into zeroed planes [cin, hp, wp] at dst[d], plus the zero tail. Rows go by
     * vectors, the last one masked: a System.arraycopy call per 14-float row cost 5% of the CNN at batch 16.
     */
    static void pad(float[] x, int xOff, int cin, int h, int w, ConvGeometry g, int hp, int wp, float[] dst, int d) {
        int plane = hp * wp, full = w - w % L;
        VectorMask<Float> tail = S.indexInRange(0, w - full);
        java.util.Arrays.fill(dst, d, d + imageFloats(cin, plane), 0f);
        for (int c = 0; c < cin; c++) {
            int row = d + c * plane + g.padTop() * wp + g.padLeft();
            for (int y = 0, s = xOff + c * h * w; y < h; y++, s += w, row += wp) {
                for (int j = 0; j < full; j += L) FloatVector.fromArray(S, x, s + j).intoArray(dst, row + j);
                if (full < w) FloatVector.fromArray(S, x, s + full, tail).intoArray(dst, row + full, tail);
            }
        }
    }

    /**
     * Input offset of reduction step i = (c, ky, kx) in a padded image with planes of {@code plane} floats and
     * rows of wp: the calling thread's array, valid until its next call.
     */
    static int[] tapOffsets(int cin, int kh, int kw, ConvGeometry g, int plane, int wp) {
        int kk = cin * kh * kw;
        int[] tapOff = TAP_OFFSETS.get();
        if (tapOff.length < kk) {
            tapOff = new int[kk];
            TAP_OFFSETS.set(tapOff);
        }
        for (int c = 0, i = 0; c < cin; c++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) tapOff[i++] = c * plane + ky * g.dilationH() * wp + kx * g.dilationW();
            }
        }
        return tapOff;
    }
}
