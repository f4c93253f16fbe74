package dev.lathe.pass;

/** What a pass's selectors match: param paths (weight passes) or instance paths ({@code kernelize}). */
public enum TargetKind {
    PARAM, INSTANCE
}
