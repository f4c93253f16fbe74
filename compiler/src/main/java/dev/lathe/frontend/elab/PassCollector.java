package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.pass.PassStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers pass statements in pipeline order (LANGUAGE.md §7): annotations as their statements are
 * expanded (so an annotation inside a block used twice, or inside a {@code repeat}, gives one
 * statement per instance), then the main file's {@code passes} section. Pass names and argument
 * names are not checked here (the pass planner knows them). Decisions: arguments are compile-time
 * values evaluated where they stand, converted to {@code Long}, {@code Double}, {@code Boolean},
 * {@code String}, {@code List<Object>}; a symbolic int is E0504; a positional argument is E0503;
 * an annotation on a conditional param that is absent adds nothing; {@code passes} sections of
 * imported modules are ignored.
 */
final class PassCollector {
    private final List<PassStatement> annotations = new ArrayList<>();
    private final List<PassStatement> section = new ArrayList<>();

    /** The pipeline: annotations first, then the passes section. */
    List<PassStatement> statements() {
        List<PassStatement> out = new ArrayList<>(annotations);
        out.addAll(section);
        return out;
    }

    void addAnnotation(Annotation a, String target, ConstEvaluator.Lookup lookup) {
        annotations.add(new PassStatement(a.name(), args(a.args(), lookup), List.of(target), a.span(),
                PassStatement.Origin.ANNOTATION));
    }

    /** Adds one statement of the passes section; errors are thrown for the caller to report. */
    void addSectionStatement(Decl.PassStmt s, ConstEvaluator.Lookup lookup) {
        List<String> selectors = s.selectors().stream().map(Expr.StringLit::value).toList();
        section.add(new PassStatement(s.pass(), args(s.args(), lookup), selectors, s.span(), PassStatement.Origin.PASSES_SECTION));
    }

    private static Map<String, Object> args(List<Arg> args, ConstEvaluator.Lookup lookup) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Arg a : args) {
            if (!a.isNamed()) {
                throw new ElabError(ErrorCode.E0503, a.span(), "pass arguments are written name = value");
            }
            if (out.containsKey(a.name())) throw new ElabError(ErrorCode.E0503, a.span(), "pass argument " + a.name() + " is given twice");
            Val v = ConstEvaluator.eval(a.value(), lookup);
            if (v == Val.Error.INSTANCE) throw new ElabError(ErrorCode.E0504, a.span(), "pass argument " + a.name() + " has no value");
            out.put(a.name(), toJava(v, a.name(), a.span()));
        }
        return out;
    }

    private static Object toJava(Val v, String name, SourceSpan span) {
        return switch (v) {
            case Val.Int i when i.value().isConstant() -> i.value().constant().getAsLong();
            case Val.Int i -> throw new ElabError(ErrorCode.E0504, span, "pass argument " + name + " = " + i.value()
                    + " is not a constant");
            case Val.Float f -> f.value();
            case Val.Bool b -> b.value();
            case Val.Str s -> s.value();
            case Val.ListV l -> {
                List<Object> out = new ArrayList<>();
                for (Val e : l.elements()) out.add(toJava(e, name, span));
                yield out;
            }
            default -> throw new ElabError(ErrorCode.E0504, span, "pass argument " + name + " is a " + Val.describe(v));
        };
    }
}
