package dev.lathe.frontend.elab;

/**
 * The right-hand side of an assignment as a whole: the name its call takes when it has no
 * {@code named} string (the single target, or null), and the instance path the call got, which
 * an annotation on the assignment targets.
 */
final class TopLevel {
    private final String assignedName;
    private String instancePath;

    TopLevel(String assignedName) {
        this.assignedName = assignedName;
    }

    String assignedName() { return assignedName; }

    String instancePath() { return instancePath; }

    void setInstancePath(String path) { instancePath = path; }
}
