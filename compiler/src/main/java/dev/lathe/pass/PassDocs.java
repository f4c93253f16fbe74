package dev.lathe.pass;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link PassRegistry} as Markdown: one overview table, then per pass its argument
 * table, argument rules and preconditions. The CLI help and docs/passes.md are generated from
 * this, so they cannot drift from what the planner checks.
 */
public final class PassDocs {
    private PassDocs() {}

    public static String markdown(PassRegistry registry) {
        StringBuilder out = new StringBuilder();
        out.append("| pass | applies to | arguments | summary |\n");
        out.append("|---|---|---|---|\n");
        for (PassInfo p : registry.passes()) {
            List<String> args = p.argNames().stream().map(a -> "`" + a + "`").toList();
            row(out, "`" + p.name() + "`", appliesTo(p), String.join(", ", args), p.summary());
        }
        for (PassInfo p : registry.passes()) {
            out.append("\n### `").append(p.name()).append("`\n\n");
            out.append(capitalized(p.summary())).append(". Applies to ").append(appliesTo(p)).append(".\n\n");
            out.append("| argument | type | allowed | default | meaning |\n");
            out.append("|---|---|---|---|---|\n");
            for (ArgInfo a : p.args()) {
                row(out, "`" + a.name() + "`", a.type().displayName(), a.allowed().describe(), defaultText(p, a), a.summary());
            }
            // Conditional defaults are already in the default column.
            List<ArgRule> rules = p.rules().stream().filter(r -> !(r instanceof ArgRule.DefaultWhen)).toList();
            if (!rules.isEmpty()) {
                out.append("\nRules:\n");
                for (ArgRule r : rules) out.append("- ").append(r.describe()).append('\n');
            }
            out.append("\nPreconditions: ").append(p.preconditions()).append(".\n");
        }
        return out.toString();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String appliesTo(PassInfo p) {
        return switch (p.target()) {
            case PARAM -> "param paths";
            case INSTANCE -> String.join(", ", p.instanceKinds().stream().sorted().toList()) + " instance paths";
        };
    }

    private static String defaultText(PassInfo p, ArgInfo a) {
        if (a.hasDefault()) return ValueText.of(a.defaultValue());
        List<String> conditional = new ArrayList<>();
        for (ArgRule r : p.rules()) {
            if (r instanceof ArgRule.DefaultWhen(var when, var arg, var value) && arg.equals(a.name())) {
                conditional.add(ValueText.of(value) + " when " + when.describe());
            }
        }
        return conditional.isEmpty() ? "none" : String.join("; ", conditional);
    }

    private static void row(StringBuilder out, String... cells) {
        out.append('|');
        // A | inside a cell ("8 | 4") would end it early.
        for (String c : cells) out.append(' ').append(c.replace("|", "\\|")).append(" |");
        out.append('\n');
    }
}
