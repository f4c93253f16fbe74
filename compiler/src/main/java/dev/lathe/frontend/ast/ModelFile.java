package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/**
 * One parsed {@code .model} file. {@code comments} are the ordinary comments ({@code //} and
 * {@code /* *\/}, with their delimiters) in source order, kept so the formatter can put them back.
 */
public record ModelFile(SourceSpan span, String file, String modelName, long version, List<Decl> decls, List<Comment> comments)
        implements Node {
    public ModelFile {
        decls = List.copyOf(decls);
        comments = List.copyOf(comments);
    }

    public record Comment(SourceSpan span, String text) implements Node {}
}
