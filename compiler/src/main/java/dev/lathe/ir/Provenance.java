package dev.lathe.ir;

import dev.lathe.diag.SourceSpan;

/**
 * Where an IR node came from: the source span of the expression and the instance path of the
 * block instance or op call that produced it ({@code blk.0.mlp.fc1}), so diagnostics and pass
 * reports speak in the user's names.
 */
public record Provenance(SourceSpan span, String instancePath) {
    public static final Provenance NONE = new Provenance(SourceSpan.UNKNOWN, "");

    public Provenance {
        if (span == null) span = SourceSpan.UNKNOWN;
        if (instancePath == null) instancePath = "";
    }
}
