package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.weights.WeightsSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code weights} declaration of the main file as a {@link WeightsSpec}. Decisions: the path
 * is resolved against the main file's folder (as given, so messages show a relative path when the
 * model was named by one) and must stay inside the root folder (E0704); a second declaration is
 * E0202; declarations in imported modules are ignored; an override replaces the file and keeps
 * {@code lenient} and the renames; with an override and no declaration the spec is strict with
 * no renames. Rename patterns are only checked for balanced braces (E0106): their {@code {i}}
 * placeholders are the weights binder's.
 */
final class WeightsDeclaration {
    private WeightsDeclaration() {}

    static WeightsSpec resolve(LoadedModule main, Path mainFile, Path root, Path override, ElabContext ctx) {
        Decl.Weights decl = null;
        for (Decl d : main.ast().decls()) {
            if (!(d instanceof Decl.Weights w)) continue;
            if (decl != null) {
                ctx.report(ctx.duplicate("weights", w.span(), decl.span()));
                continue;
            }
            decl = w;
        }
        if (decl == null) return override == null ? null : new WeightsSpec(override, false, List.of(), SourceSpan.UNKNOWN);
        List<WeightsSpec.Rename> renames = new ArrayList<>();
        for (Decl.RenameRule r : decl.renames()) {
            try {
                Interpolator.checkBalanced(r.from(), r.span());
                Interpolator.checkBalanced(r.to(), r.span());
                renames.add(new WeightsSpec.Rename(r.from(), r.to(), r.span()));
            } catch (ElabError e) {
                ctx.report(e);
            }
        }
        Path file = override;
        if (file == null) {
            Path folder = mainFile.getParent();
            file = (folder == null ? Path.of(decl.path()) : folder.resolve(decl.path())).normalize();
            if (!file.toAbsolutePath().normalize().startsWith(root)) {
                ctx.report(new ElabError(ErrorCode.E0704, decl.span(), "weights file \"" + decl.path()
                        + "\" is outside the model's folder " + root));
                return null;
            }
        }
        return new WeightsSpec(file, decl.lenient(), renames, decl.span());
    }
}
