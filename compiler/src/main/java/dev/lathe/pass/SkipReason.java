package dev.lathe.pass;

import java.util.Objects;

/** Why a pass left a target as it was (DESIGN.md §5), with a message in the user's names. */
public record SkipReason(Kind kind, String message) {
    /** Skipped targets of passes this version cannot run say exactly this. */
    public static final String NOT_IMPLEMENTED_MESSAGE = "not implemented in this version";

    public enum Kind {
        /** The target does not have the form the pass needs (see the pass's preconditions). */
        PRECONDITION_FAILED,
        /** The rewrite would not save enough (the pass's profitability gate). */
        UNPROFITABLE,
        /** This version has no implementation of the pass. */
        NOT_IMPLEMENTED;

        /** {@code precondition failed}, {@code unprofitable}, {@code not implemented}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public SkipReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static SkipReason precondition(String message) {
        return new SkipReason(Kind.PRECONDITION_FAILED, message);
    }

    public static SkipReason unprofitable(String message) {
        return new SkipReason(Kind.UNPROFITABLE, message);
    }

    public static SkipReason notImplemented() {
        return new SkipReason(Kind.NOT_IMPLEMENTED, NOT_IMPLEMENTED_MESSAGE);
    }

    @Override
    public String toString() {
        return kind.label() + ": " + message;
    }
}
