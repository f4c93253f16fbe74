package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.TypeRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an attribute argument against its declared type (E0307 naming the attribute and the
 * type) and converts values to the Graph IR attribute form. Decisions: a float attribute accepts
 * a constant int; a list attribute accepts a single value as a one-element list; an int attribute
 * may be symbolic ({@code reshape(x, shape = [B, -1])}).
 */
final class AttributeValues {
    private AttributeValues() {}

    static Val check(String callee, String name, TypeRef.Attribute type, Val v, SourceSpan span) {
        if (v == Val.Error.INSTANCE) return v;
        if (type.list()) {
            List<Val> elements = v instanceof Val.ListV l ? l.elements() : List.of(v);
            List<Val> out = new ArrayList<>();
            for (Val e : elements) out.add(scalar(callee, name, type, e, span));
            return new Val.ListV(out);
        }
        return scalar(callee, name, type, v, span);
    }

    private static Val scalar(String callee, String name, TypeRef.Attribute type, Val v, SourceSpan span) {
        Val ok = switch (type.kind()) {
            case INT -> v instanceof Val.Int ? v : null;
            case FLOAT -> switch (v) {
                case Val.Float f -> f;
                case Val.Int i when i.value().isConstant() -> new Val.Float(i.value().constant().getAsLong());
                default -> null;
            };
            case BOOL -> v instanceof Val.Bool ? v : null;
            case STRING -> v instanceof Val.Str ? v : null;
        };
        if (ok != null) return ok;
        String expected = type.kind().sourceName() + (type.list() ? "[]" : "");
        String got = v instanceof Val.Tensor ? "a tensor (" + Val.describe(v) + "); attributes are compile-time values" : Val.describe(v);
        throw new ElabError(ErrorCode.E0307, span, "attribute " + name + " of " + callee + " expects " + expected + ", got " + got);
    }

    /** The IR form: {@code Dim}, {@code Double}, {@code Boolean}, {@code String}, {@code List<Object>}. */
    static Object toIr(Val v) {
        return switch (v) {
            case Val.Int i -> i.value();
            case Val.Float f -> f.value();
            case Val.Bool b -> b.value();
            case Val.Str s -> s.value();
            case Val.ListV l -> {
                List<Object> out = new ArrayList<>();
                for (Val e : l.elements()) out.add(toIr(e));
                yield List.copyOf(out);
            }
            default -> throw new IllegalArgumentException("not an attribute value: " + v);
        };
    }
}
