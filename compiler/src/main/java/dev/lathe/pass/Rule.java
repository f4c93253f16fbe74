package dev.lathe.pass;

import dev.lathe.ir.Node;

/**
 * A rewrite rule (STYLE.md 2): a pattern rooted at one node class and a rewrite. The
 * {@link RewriteDriver} offers every node of class {@link #root()} to {@link #rewrite}, which
 * either returns the replacement or says why the pattern did not match, in the manner of MLIR's
 * {@code notifyMatchFailure}; the driver counts both per rule. Each rule is a small class named
 * VerbNoun whose Javadoc shows the rewrite as a before/after {@code .model} snippet.
 *
 * @param <N> the node class the pattern is rooted at
 */
public interface Rule<N extends Node> {
    Class<N> root();

    /** The replacement of {@code node}, or {@link RuleResult#noMatch} with the reason. */
    RuleResult rewrite(N node, RewriteContext context);

    /** The rule's name in statistics: its class name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
