package dev.lathe.cli;

/** A command-line mistake that is not about a .model file (a missing --out folder, a bad --dim). */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
