package dev.lathe.pass;

import java.util.Objects;

/**
 * The measured error of one graph output of a compressed graph against the uncompressed one over
 * calibration inputs: the largest absolute difference, {@code ||y' - y||_2 / ||y||_2} over all
 * elements, and, for class scores ([batch, classes]), the fraction of rows whose top-1 class
 * agrees and, with labels, the accuracy before and after. Absent measures are null.
 */
public record OutputError(String output, long rows, double maxAbs, double relativeL2, Double top1Agreement, Double accuracyBefore,
                          Double accuracyAfter) {
    public OutputError {
        Objects.requireNonNull(output, "output");
    }
}
