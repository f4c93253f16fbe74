package dev.lathe.frontend.elab;

/**
 * Wires together the mutually recursive parts of expansion: statements evaluate expressions,
 * expressions make calls, calls expand blocks, blocks run statements.
 */
final class Expander {
    final ElabContext ctx;
    final ExprEvaluator exprs;
    final CallExpander calls;
    final PrimitiveCalls primitives;
    final BlockExpander blocks;
    final StatementExecutor statements;

    Expander(ElabContext ctx) {
        this.ctx = ctx;
        this.exprs = new ExprEvaluator(this);
        this.calls = new CallExpander(this);
        this.primitives = new PrimitiveCalls(this);
        this.blocks = new BlockExpander(this);
        this.statements = new StatementExecutor(this);
    }
}
