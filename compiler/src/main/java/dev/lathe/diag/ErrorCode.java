package dev.lathe.diag;

/**
 * The stable catalogue of diagnostic codes (LANGUAGE.md §8). Codes are never renumbered; new ones
 * are appended within their range. docs/errors.md is generated from this list.
 */
public enum ErrorCode {
    // E01xx syntax
    E0101("syntax error"),
    E0102("invalid character"),
    E0103("unterminated string or comment"),
    E0104("invalid number literal"),
    E0105("bad model header or language version"),
    E0106("invalid string escape or interpolation"),

    // E02xx names and imports
    E0201("undefined name"),
    E0202("duplicate definition"),
    E0203("import cycle"),
    E0204("duplicate instance path"),
    E0205("import not found"),
    E0206("unknown block or op"),
    E0207("bad call arguments (unknown, missing, repeated or too many)"),
    E0208("unknown graph"),
    E0209("name used in the wrong role (dim, const, tensor, attribute, block)"),
    E0210("statement after return is never run (warning)"),

    // E03xx types and shapes
    E0301("shape mismatch"),
    E0302("element type mismatch"),
    E0303("rank mismatch or axis out of range"),
    E0304("signature does not unify with the call"),
    E0305("dim division is not exact"),
    E0306("param shape is not known at compile time"),
    E0307("attribute has the wrong type or value"),
    E0308("compile-time evaluation failed"),
    E0309("wrong number of results"),
    E0310("assertion failed"),
    E0311("dim outside its declared bounds"),

    // E04xx weights
    E0401("weights file cannot be read"),
    E0402("malformed weights file"),
    E0403("missing weight"),
    E0404("weight element type not accepted"),
    E0405("weight shape mismatch"),
    E0406("unused weight"),
    E0407("invalid rename rule"),

    // E05xx passes
    E0501("unknown pass"),
    E0502("selector matches nothing"),
    E0503("unknown pass argument"),
    E0504("invalid pass argument value"),
    E0505("annotation is not allowed here"),

    // E06xx run-time inputs
    E0601("dim outside its declared bounds at run time"),
    E0602("missing input"),
    E0603("input has the wrong element type"),
    E0604("input has the wrong shape"),
    E0605("unknown input"),
    E0606("input file cannot be read"),

    // E07xx limits
    E0701("source file too large"),
    E0702("nesting too deep"),
    E0703("tensor too large or rank above the limit"),
    E0704("path escapes the model's folder"),
    E0705("weights header too large"),
    E0706("expansion too large");

    private final String summary;

    ErrorCode(String summary) {
        this.summary = summary;
    }

    public String code() {
        return name();
    }

    public String summary() {
        return summary;
    }
}
