package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;

/** Every AST node knows where it came from. AST nodes are immutable records. */
public interface Node {
    SourceSpan span();
}
