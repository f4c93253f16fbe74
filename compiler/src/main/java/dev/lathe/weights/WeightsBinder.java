package dev.lathe.weights;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.Diagnostics;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.pass.Closest;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.HeaderTooLargeException;
import dev.lathe.runtime.io.WeightsFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a graph's params to the tensors of a weights file (LANGUAGE.md §9). The format follows the
 * file's extension: {@code .safetensors} or {@code .npz}. File keys are renamed first (the first
 * {@link RenameRule} whose pattern matches a key's prefix wins), then matched to param paths
 * exactly. Strict binding wants every param bound and every key used; {@code lenient} turns unused
 * keys into one warning. Shapes must be equal; element types as {@link ElementTypes} allows, the
 * data being widened to the declared type.
 *
 * <p>Every problem found is reported at once, each at the weights declaration with a note at the
 * param's declaration: E0401 unreadable file, E0402 malformed file, E0403 missing key, E0404 element
 * type, E0405 shape, E0406 unused keys, E0407 invalid rename rule or rename collision, E0703 tensor
 * too large, E0705 header too large. Data is read only once all checks pass.
 */
public final class WeightsBinder {
    private static final int CLOSEST_KEYS = 3;
    private static final int LISTED_UNUSED = 20;
    private static final int LISTED_COLLISIONS = 5;

    private WeightsBinder() {}

    /** @throws DiagnosticException with every problem found, warnings included */
    public static BindResult bind(Graph graph, WeightsSpec spec) {
        Diagnostics diagnostics = new Diagnostics();
        List<RenameRule> rules = compileRules(spec, diagnostics);
        if (diagnostics.hasErrors()) throw new DiagnosticException(diagnostics.all());
        Map<String, Tensor> data;
        try (WeightsFile file = open(spec, diagnostics)) {
            if (file == null) throw new DiagnosticException(diagnostics.all());
            data = match(graph, spec, file, rules, diagnostics);
        }
        diagnostics.throwIfErrors();
        List<Diagnostic> warnings = diagnostics.all().stream().filter(d -> !d.isError()).toList();
        return new BindResult(graph.withParamData(data), warnings);
    }

    private static List<RenameRule> compileRules(WeightsSpec spec, Diagnostics diagnostics) {
        List<RenameRule> rules = new ArrayList<>();
        for (WeightsSpec.Rename r : spec.renames()) {
            try {
                rules.add(RenameRule.compile(r));
            } catch (RenameRule.InvalidRenameException e) {
                diagnostics.error(ErrorCode.E0407, spanOf(r, spec), e.getMessage());
            }
        }
        return rules;
    }

    /** The file, or null with the reason reported. */
    private static WeightsFile open(WeightsSpec spec, Diagnostics diagnostics) {
        Path path = spec.file();
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean safetensors = name.endsWith(".safetensors");
        if (!safetensors && !name.endsWith(".npz")) {
            String why = name.endsWith(".npy")
                    ? "a .npy file holds a single unnamed tensor, not a set of named weights; use .safetensors or .npz"
                    : "the format is unknown; weights files end in .safetensors or .npz";
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " cannot be read: " + why);
            return null;
        }
        // Checked here, not left to the readers, so both formats say the same thing.
        if (Files.notExists(path)) {
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " not found");
            return null;
        }
        if (Files.isDirectory(path)) {
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " cannot be read: it is a directory");
            return null;
        }
        try {
            return safetensors ? SafetensorsWeights.open(path) : NpzWeights.open(path);
        } catch (NoSuchFileException e) {
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " not found");
        } catch (AccessDeniedException e) {
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " cannot be read: permission denied");
        } catch (IOException e) {
            diagnostics.error(ErrorCode.E0401, spec.span(), "weights file " + path + " cannot be read: " + e.getMessage());
        } catch (HeaderTooLargeException e) {
            diagnostics.error(ErrorCode.E0705, spec.span(), e.getMessage());
        } catch (WeightsFormatException e) {
            diagnostics.error(ErrorCode.E0402, spec.span(), "malformed weights file: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            diagnostics.error(ErrorCode.E0703, spec.span(), e.getMessage());
        }
        return null;
    }

    /** The data to bind, by param path; empty when a problem was reported. */
    private static Map<String, Tensor> match(Graph graph, WeightsSpec spec, WeightsFile file, List<RenameRule> rules,
                                             Diagnostics diagnostics) {
        Renamed renamed = rename(file.keys(), rules, spec, diagnostics);
        Set<String> used = new HashSet<>();
        Map<Param, String> toRead = new LinkedHashMap<>();
        for (Param p : graph.params()) {
            String path = p.path();
            if (renamed.collided().contains(path)) {   // already reported as E0407
                used.add(path);
                continue;
            }
            String original = renamed.keys().get(path);
            if (original == null) {
                diagnostics.report(atParam(Diagnostic.error(ErrorCode.E0403, spec.span(), missingMessage(path, renamed)), p));
                continue;
            }
            used.add(path);
            if (check(p, original, file, spec, diagnostics)) toRead.put(p, original);
        }
        reportUnused(renamed, used, spec, diagnostics);
        if (diagnostics.hasErrors()) return Map.of();

        Map<String, Tensor> data = new LinkedHashMap<>();
        for (var e : toRead.entrySet()) {
            Param p = e.getKey();
            try {
                data.put(p.path(), ElementTypes.widen(file.read(e.getValue()), p.type().dtype()));
            } catch (UnsupportedOperationException ex) {
                diagnostics.report(atParam(Diagnostic.error(ErrorCode.E0703, spec.span(), ex.getMessage()), p));
            }
        }
        return data;
    }

    /** Renamed key to file key, in file order, and the renamed keys that several file keys share. */
    private record Renamed(Map<String, String> keys, Set<String> collided) {}

    private static Renamed rename(List<String> fileKeys, List<RenameRule> rules, WeightsSpec spec, Diagnostics diagnostics) {
        Map<String, List<String>> byNewKey = new LinkedHashMap<>();
        Set<RenameRule> applied = new HashSet<>();
        for (String key : fileKeys) {
            String renamed = key;
            for (RenameRule rule : rules) {
                Optional<String> r = rule.apply(key);
                if (r.isPresent()) {
                    renamed = r.get();
                    applied.add(rule);
                    break;
                }
            }
            byNewKey.computeIfAbsent(renamed, k -> new ArrayList<>()).add(key);
        }
        for (RenameRule rule : rules) {
            if (!applied.contains(rule)) {
                diagnostics.warning(ErrorCode.E0407, spanOf(rule.source(), spec), rule + " matches no key of " + spec.file());
            }
        }
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> collisions = new ArrayList<>();
        Set<String> collided = new HashSet<>();
        for (var e : byNewKey.entrySet()) {
            if (e.getValue().size() == 1) {
                keys.put(e.getKey(), e.getValue().getFirst());
            } else {
                collided.add(e.getKey());
                collisions.add(String.join(" and ", e.getValue()) + " all become " + e.getKey());
            }
        }
        if (!collisions.isEmpty()) {
            diagnostics.error(ErrorCode.E0407, spec.span(), "rename rules give several file keys the same name: "
                    + listed(collisions, LISTED_COLLISIONS, "; "));
        }
        return new Renamed(keys, collided);
    }

    private static String missingMessage(String path, Renamed renamed) {
        if (renamed.keys().isEmpty() && renamed.collided().isEmpty()) return "missing weight " + path + ": the file has no tensors";
        List<String> candidates = new ArrayList<>(renamed.keys().keySet());
        candidates.addAll(renamed.collided());
        return "missing weight " + path + ": closest file keys: " + String.join(", ", Closest.rank(path, candidates, CLOSEST_KEYS));
    }

    /** Whether the stored element type and shape fit the param; reports E0404 and E0405 otherwise. */
    private static boolean check(Param p, String original, WeightsFile file, WeightsSpec spec, Diagnostics diagnostics) {
        String path = p.path();
        TensorType declared = p.type();
        DType stored = file.dtype(original);
        long[] shape = file.shape(original);
        String which = original.equals(path) ? "weight " + path : "weight " + path + " (file key " + original + ")";
        boolean ok = true;
        if (!ElementTypes.accepts(declared.dtype(), stored)) {
            String needs = declared.dtype().sourceName();
            diagnostics.report(atParam(Diagnostic.error(ErrorCode.E0404, spec.span(), which + " is " + stored.sourceName()
                    + " in the file, but the param is declared " + needs + "; " + article(needs) + " " + needs + " param accepts "
                    + ElementTypes.describeAccepted(declared.dtype()) + " data"), p));
            ok = false;
        }
        if (!declared.isStatic()) {
            throw new IllegalStateException("param " + path + " has a symbolic shape " + declared + "; the elaborator rejects those (E0306)");
        }
        if (!Arrays.equals(shape, declared.staticShape())) {
            String fileShape = stored.sourceName() + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
            diagnostics.report(atParam(Diagnostic.error(ErrorCode.E0405, spec.span(), which + " has shape " + fileShape
                    + " in the file, but the param is declared " + declared), p));
            ok = false;
        }
        return ok;
    }

    private static void reportUnused(Renamed renamed, Set<String> used, WeightsSpec spec, Diagnostics diagnostics) {
        List<String> unused = new ArrayList<>();
        for (var e : renamed.keys().entrySet()) {
            if (used.contains(e.getKey())) continue;
            unused.add(e.getKey().equals(e.getValue()) ? e.getKey() : e.getValue() + " (renamed " + e.getKey() + ")");
        }
        if (unused.isEmpty()) return;
        String message = unused.size() + " unused weight" + (unused.size() == 1 ? "" : "s") + " in " + spec.file() + ": "
                + listed(unused, LISTED_UNUSED, ", ");
        if (spec.lenient()) {
            diagnostics.warning(ErrorCode.E0406, spec.span(), message);
        } else {
            diagnostics.report(Diagnostic.error(ErrorCode.E0406, spec.span(), message)
                    .withNote("declare the weights lenient to allow keys no param uses", null));
        }
    }

    private static String listed(List<String> items, int limit, String separator) {
        if (items.size() <= limit) return String.join(separator, items);
        return String.join(separator, items.subList(0, limit)) + separator + "and " + (items.size() - limit) + " more";
    }

    private static Diagnostic atParam(Diagnostic d, Param p) {
        SourceSpan at = p.provenance().span();
        String instance = p.provenance().instancePath();
        // The renderer appends the location: "note: declaration of param fc.weight in instance fc (m.model:10:3)".
        String text = "declaration of param " + p.path() + (instance.isEmpty() ? "" : " in instance " + instance);
        return d.withNote(text, at.equals(SourceSpan.UNKNOWN) ? null : at);
    }

    private static SourceSpan spanOf(WeightsSpec.Rename rule, WeightsSpec spec) {
        return rule.span() == null || rule.span().equals(SourceSpan.UNKNOWN) ? spec.span() : rule.span();
    }

    private static String article(String typeName) {
        // Said as letters: "an f32", "an i8", but "a u8", "a bf16", "a bool".
        return typeName.startsWith("f") || typeName.startsWith("i") ? "an" : "a";
    }
}
