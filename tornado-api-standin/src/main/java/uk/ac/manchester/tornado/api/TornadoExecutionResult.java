package uk.ac.manchester.tornado.api;

/** What an execution returns. Stand-in: nothing to report (no profiler). */
public final class TornadoExecutionResult {
    TornadoExecutionResult() {}
}
