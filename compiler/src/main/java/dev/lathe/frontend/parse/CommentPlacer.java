package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.ModelFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where each comment goes in the formatted output, using only source positions.
 *
 * <ul>
 *   <li>A comment after code on the same line is <em>trailing</em>: it stays at the end of the line
 *       of the unit it follows.</li>
 *   <li>A comment on its own line goes before the next unit, except that between the end of a body
 *       and the next unit it stays inside the innermost closing body whose header it is indented
 *       past (the comment at the end of a block stays in the block).</li>
 * </ul>
 * The rules are chosen so that the formatter's own output is placed the same way again, which
 * keeps formatting idempotent, and so that the comments keep their source order.
 */
final class CommentPlacer {

    /** Comments per slot, by entry index. */
    record Placement(Map<Integer, List<ModelFile.Comment>> leading, Map<Integer, List<ModelFile.Comment>> trailing,
                     Map<Integer, List<ModelFile.Comment>> atEnd, List<ModelFile.Comment> endOfFile) {
        List<ModelFile.Comment> leading(int entry) { return leading.getOrDefault(entry, List.of()); }
        List<ModelFile.Comment> trailing(int entry) { return trailing.getOrDefault(entry, List.of()); }
        List<ModelFile.Comment> atEnd(int entry) { return atEnd.getOrDefault(entry, List.of()); }
    }

    private final List<Layout> entries;
    private final Map<Integer, Integer> firstCodeColumn;
    private final Placement placement = new Placement(new HashMap<>(), new HashMap<>(), new HashMap<>(), new ArrayList<>());

    /**
     * @param firstCodeColumn for each source line, the column of the first AST node starting on it
     */
    private CommentPlacer(List<Layout> entries, Map<Integer, Integer> firstCodeColumn) {
        this.entries = entries;
        this.firstCodeColumn = firstCodeColumn;
    }

    static Placement place(List<Layout> entries, List<ModelFile.Comment> comments, Map<Integer, Integer> firstCodeColumn) {
        CommentPlacer placer = new CommentPlacer(entries, firstCodeColumn);
        placer.placeAll(comments);
        return placer.placement;
    }

    private void placeAll(List<ModelFile.Comment> comments) {
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof Layout.Unit u && u.anchor().line() > 0) units.add(i);
        }
        int next = 0;               // index into units of the first unit after the comment
        int gap = -2;               // the previous comment's gap (index of the unit before it)
        int floor = -1;             // the slot of the previous own-line comment in that gap
        for (ModelFile.Comment c : comments) {
            while (next < units.size() && before(anchor(units.get(next)), c.span())) next++;
            int previous = next > 0 ? units.get(next - 1) : -1;
            int following = next < units.size() ? units.get(next) : entries.size();
            if (previous != gap) {
                gap = previous;
                floor = -1;
            }
            if (floor < 0 && previous >= 0 && isTrailing(c.span())) {
                List<ModelFile.Comment> trail = placement.trailing.computeIfAbsent(previous, k -> new ArrayList<>());
                if (trail.isEmpty() || !trail.getLast().text().startsWith("//")) {
                    trail.add(c);
                    continue;
                }
                // After a line comment nothing fits on that line: the comment goes on the next line,
                // where the formatter's output will put it.
                Layout.Unit unit = (Layout.Unit) entries.get(previous);
                floor = ownLine(c, previous, following, (unit.opensBody() ? unit.indent() + 1 : unit.indent()) * 2, -1);
                continue;
            }
            floor = ownLine(c, previous, following, c.span().column() - 1, floor);
        }
    }

    /** Places an own-line comment printed at {@code indent}; returns the slot's entry index. */
    private int ownLine(ModelFile.Comment c, int previous, int following, int indent, int floor) {
        for (int i = Math.max(previous + 1, floor); i < following; i++) {
            if (entries.get(i) instanceof Layout.Close close && !close.opensElse() && close.headerIndent() * 2 < indent) {
                placement.atEnd.computeIfAbsent(i, k -> new ArrayList<>()).add(c);
                return i;
            }
        }
        if (following < entries.size()) {
            placement.leading.computeIfAbsent(following, k -> new ArrayList<>()).add(c);
        } else {
            placement.endOfFile.add(c);
        }
        return following;
    }

    private boolean isTrailing(SourceSpan comment) {
        Integer code = firstCodeColumn.get(comment.line());
        return code != null && code < comment.column();
    }

    private SourceSpan anchor(int entry) {
        return ((Layout.Unit) entries.get(entry)).anchor();
    }

    private static boolean before(SourceSpan a, SourceSpan b) {
        return a.line() < b.line() || (a.line() == b.line() && a.column() < b.column());
    }
}
