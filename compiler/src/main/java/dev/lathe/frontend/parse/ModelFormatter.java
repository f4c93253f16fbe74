package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.Node;
import dev.lathe.frontend.ast.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link ModelFile} in the canonical style: 2-space indentation, one declaration or
 * statement per line, a blank line between groups of top-level declarations (imports, dims and
 * consts, weights, each block or graph, passes), literals as written, minimal parentheses. Doc
 * comments are printed before their node; ordinary comments are put back by {@link CommentPlacer}.
 * The output parses back to the same structure, and formatting it again changes nothing.
 */
public final class ModelFormatter {
    private static final String INDENT = "  ";

    private final List<Layout> entries = new ArrayList<>();

    private ModelFormatter() {}

    public static String format(ModelFile file) {
        ModelFormatter f = new ModelFormatter();
        f.layOut(file);
        CommentPlacer.Placement placement = CommentPlacer.place(f.entries, file.comments(), firstCodeColumns(file));
        return f.render(placement);
    }

    /** One expression in canonical form, e.g. for messages that quote source. */
    public static String formatExpression(Expr e) {
        return SourcePrinter.expr(e);
    }

    // ---- layout ----

    private void layOut(ModelFile file) {
        unit(file.span(), 0, List.of("model " + file.modelName() + " version " + file.version() + ";"), null, false, false);
        Decl previous = null;
        for (Decl d : file.decls()) {
            if (blankBefore(previous, d)) entries.add(new Layout.Blank());
            decl(d);
            previous = d;
        }
    }

    private static boolean blankBefore(Decl previous, Decl d) {
        return switch (previous) {
            case null -> !(d instanceof Decl.Import);
            case Decl.Import p -> !(d instanceof Decl.Import);
            case Decl.Dims p -> !(d instanceof Decl.Dims || d instanceof Decl.Consts);
            case Decl.Consts p -> !(d instanceof Decl.Dims || d instanceof Decl.Consts);
            // Primitive declarations (std.ops) read best as a compact list.
            case Decl.Block p -> !(p.isPrimitive() && d instanceof Decl.Block b && b.isPrimitive());
            default -> true;
        };
    }

    private void decl(Decl d) {
        switch (d) {
            case Decl.Import i -> {
                String target = i.module() != null ? i.module() + (i.wildcard() ? ".*" : "") : StringLiterals.quote(i.path());
                unit(i.span(), 0, List.of("import " + target + (i.alias() != null ? " as " + i.alias() : "") + ";"), null, false, false);
            }
            case Decl.Dims ds -> {
                List<String> parts = new ArrayList<>();
                for (Decl.DimDef dd : ds.dims()) {
                    parts.add(dd.name() + (dd.lo() == null ? "" : " in " + SourcePrinter.expr(dd.lo()) + ".." + SourcePrinter.expr(dd.hi())));
                }
                unit(ds.span(), 0, List.of("dim " + String.join(", ", parts) + ";"), ds.doc(), true, false);
            }
            case Decl.Consts cs -> {
                List<String> parts = new ArrayList<>();
                for (Decl.ConstDef c : cs.consts()) parts.add(c.name() + " = " + SourcePrinter.expr(c.value()));
                unit(cs.span(), 0, List.of("const " + String.join(", ", parts) + ";"), cs.doc(), true, false);
            }
            case Decl.Weights w -> {
                String head = "weights " + StringLiterals.quote(w.path()) + (w.lenient() ? " lenient" : "");
                if (w.renames().isEmpty()) {
                    unit(w.span(), 0, List.of(head + ";"), null, false, false);
                } else {
                    unit(w.span(), 0, List.of(head + " {"), null, false, true);
                    for (Decl.RenameRule r : w.renames()) {
                        unit(r.span(), 1, List.of("rename " + StringLiterals.quote(r.from()) + " -> " + StringLiterals.quote(r.to()) + ";"),
                                null, false, false);
                    }
                    entries.add(new Layout.Close(0, "}", false));
                }
            }
            case Decl.Block b -> {
                String signature = SourcePrinter.signature(b);
                if (b.isPrimitive()) {
                    unit(b.span(), 0, List.of(signature + ";"), b.doc(), true, false);
                } else {
                    unit(b.span(), 0, List.of(signature + " {"), b.doc(), true, true);
                    statements(b.body(), 1);
                    entries.add(new Layout.Close(0, "}", false));
                }
            }
            case Decl.Passes p -> {
                unit(p.span(), 0, List.of("passes {"), null, false, true);
                for (Decl.PassStmt s : p.statements()) unit(s.span(), 1, List.of(SourcePrinter.pass(s)), null, false, false);
                entries.add(new Layout.Close(0, "}", false));
            }
        }
    }

    private void statements(List<Stmt> body, int indent) {
        for (Stmt s : body) statement(s, indent);
    }

    private void statement(Stmt s, int indent) {
        switch (s) {
            case Stmt.Param p -> {
                String line = "param " + p.name() + ": " + SourcePrinter.type(p.type())
                        + (p.condition() == null ? "" : " if " + SourcePrinter.expr(p.condition())) + ";";
                unit(anchor(p.span(), p.annotations()), indent, annotated(p.annotations(), line), p.doc(), true, false);
            }
            case Stmt.Assign a -> {
                String line = String.join(", ", a.targets().stream().map(Stmt.Target::name).toList())
                        + " = " + SourcePrinter.expr(a.value()) + ";";
                unit(anchor(a.span(), a.annotations()), indent, annotated(a.annotations(), line), a.doc(), true, false);
            }
            case Stmt.Return r -> unit(r.span(), indent,
                    List.of("return " + String.join(", ", r.values().stream().map(SourcePrinter::expr).toList()) + ";"), null, false, false);
            case Stmt.Assert a -> unit(a.span(), indent, List.of("assert " + SourcePrinter.expr(a.condition())
                    + (a.message() == null ? "" : " : " + SourcePrinter.expr(a.message())) + ";"), null, false, false);
            case Stmt.Repeat r -> {
                unit(r.span(), indent, List.of("repeat " + r.variable() + " in " + SourcePrinter.expr(r.from()) + ".."
                        + SourcePrinter.expr(r.to()) + " {"), null, false, true);
                statements(r.body(), indent + 1);
                entries.add(new Layout.Close(indent, "}", false));
            }
            case Stmt.If i -> ifChain(i, indent, false);
        }
    }

    private void ifChain(Stmt.If s, int indent, boolean elseIf) {
        String head = (elseIf ? "} else if " : "if ") + SourcePrinter.expr(s.condition()) + " {";
        entries.add(new Layout.Unit(s.span(), indent, List.of(head), null, false, true, elseIf));
        statements(s.then(), indent + 1);
        if (s.orElse().isEmpty()) {
            entries.add(new Layout.Close(indent, "}", false));
        } else if (s.orElse().size() == 1 && s.orElse().getFirst() instanceof Stmt.If nested) {
            entries.add(new Layout.Close(indent, null, false));
            ifChain(nested, indent, true);
        } else {
            entries.add(new Layout.Close(indent, "} else {", true));
            statements(s.orElse(), indent + 1);
            entries.add(new Layout.Close(indent, "}", false));
        }
    }

    private static SourceSpan anchor(SourceSpan span, List<Annotation> annotations) {
        return annotations.isEmpty() ? span : annotations.getFirst().span();
    }

    private static List<String> annotated(List<Annotation> annotations, String line) {
        List<String> lines = new ArrayList<>();
        for (Annotation a : annotations) lines.add(SourcePrinter.annotation(a));
        lines.add(line);
        return lines;
    }

    private void unit(SourceSpan anchor, int indent, List<String> lines, String doc, boolean docable, boolean opensBody) {
        entries.add(new Layout.Unit(anchor, indent, lines, doc, docable, opensBody, false));
    }

    // ---- rendering ----

    private String render(CommentPlacer.Placement placement) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            switch (entries.get(i)) {
                case Layout.Blank b -> out.append('\n');
                case Layout.Close c -> {
                    for (ModelFile.Comment comment : placement.atEnd(i)) comment(out, c.headerIndent() + 1, comment);
                    if (c.text() != null) line(out, c.headerIndent(), c.text());
                }
                case Layout.Unit u -> {
                    List<ModelFile.Comment> leading = placement.leading(i);
                    // A comment before a top-level declaration usually heads a group: set it apart.
                    if (!leading.isEmpty() && u.indent() == 0 && i > 0 && !(entries.get(i - 1) instanceof Layout.Blank)) out.append('\n');
                    unit(out, u, leading, placement.trailing(i));
                }
            }
        }
        for (ModelFile.Comment comment : placement.endOfFile()) comment(out, 0, comment);
        return out.toString();
    }

    private static void unit(StringBuilder out, Layout.Unit u, List<ModelFile.Comment> leading, List<ModelFile.Comment> trailing) {
        int commentIndent = u.elseIf() ? u.indent() + 1 : u.indent();
        for (ModelFile.Comment c : leading) comment(out, commentIndent, c);
        if (!leading.isEmpty() && isDocComment(leading.getLast().text()) && (u.doc() != null || u.docable())) {
            // A `///` line that is an ordinary comment must not touch the node, or it would become its doc.
            out.append('\n');
        }
        if (u.doc() != null) {
            for (String docLine : u.doc().split("\n", -1)) line(out, u.indent(), docLine.isEmpty() ? "///" : "/// " + docLine);
        }
        for (int k = 0; k < u.lines().size() - 1; k++) line(out, u.indent(), u.lines().get(k));
        out.append(INDENT.repeat(u.indent())).append(u.lines().getLast());
        // CommentPlacer never puts anything after a line comment here.
        for (ModelFile.Comment c : trailing) out.append(' ').append(c.text());
        out.append('\n');
    }

    private static boolean isDocComment(String text) {
        return text.startsWith("///") && !text.startsWith("////");
    }

    private static void comment(StringBuilder out, int indent, ModelFile.Comment c) {
        line(out, indent, c.text());
    }

    private static void line(StringBuilder out, int indent, String text) {
        out.append(INDENT.repeat(indent)).append(text).append('\n');
    }

    /** For each source line, the column of the first AST node that starts on it (comments excluded). */
    private static Map<Integer, Integer> firstCodeColumns(ModelFile file) {
        Map<Integer, Integer> first = new HashMap<>();
        AstStructure.forEachRecord(file.decls(), r -> {
            if (r instanceof Node n && n.span() != null && n.span().line() > 0) {
                first.merge(n.span().line(), n.span().column(), Math::min);
            }
        });
        if (file.span() != null && file.span().line() > 0) first.merge(file.span().line(), file.span().column(), Math::min);
        return first;
    }
}
