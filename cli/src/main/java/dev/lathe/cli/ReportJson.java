package dev.lathe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.Footprint;
import dev.lathe.pass.OutputError;
import dev.lathe.pass.PassReport;
import dev.lathe.pass.RuleStats;
import dev.lathe.pass.TargetReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of {@code lathe report} (Jackson): {@code model}, {@code graph}, {@code totals}
 * (before and after), {@code targets} (one object per pass and target, in pipeline order, with
 * {@code status}, {@code args}, {@code reason}, {@code before}, {@code after},
 * {@code certificate} and {@code details}), {@code rules} (per-rule statistics) and, with
 * calibration, {@code calibration.outputs}. FLOPs are strings, symbolic in the named dims
 * ({@code "1056 * B"}); {@code flops_value} is added when they are a number.
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    static void write(Path file, Path model, String graph, PassReport report, Path calibration, List<OutputError> errors) throws IOException {
        MAPPER.writeValue(file.toFile(), tree(model, graph, report, calibration, errors));
    }

    static ObjectNode tree(Path model, String graph, PassReport report, Path calibration, List<OutputError> errors) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model.toString());
        root.put("graph", graph);
        ObjectNode totals = root.putObject("totals");
        totals.set("before", footprint(report.before()));
        totals.set("after", footprint(report.after()));
        ArrayNode targets = root.putArray("targets");
        for (TargetReport t : report.targets()) {
            ObjectNode o = targets.addObject();
            o.put("pass", t.pass());
            o.put("target", t.target());
            o.put("status", t.status().name().toLowerCase(Locale.ROOT));
            o.set("args", MAPPER.valueToTree(t.args()));
            if (t.reason() == null) {
                o.putNull("reason");
            } else {
                ObjectNode r = o.putObject("reason");
                r.put("kind", t.reason().kind().name().toLowerCase(Locale.ROOT));
                r.put("message", t.reason().message());
            }
            o.set("before", footprint(t.before()));
            o.set("after", footprint(t.after()));
            ArrayNode cert = o.putArray("certificate");
            for (ErrorBound e : t.certificate()) {
                ObjectNode c = cert.addObject();
                c.put("quantity", e.quantity());
                c.put("relation", e.relation());
                c.put("value", e.value());
                c.put("basis", e.basis());
            }
            o.set("details", MAPPER.valueToTree(t.details()));
        }
        ArrayNode rules = root.putArray("rules");
        for (RuleStats s : report.rules()) {
            ObjectNode r = rules.addObject();
            r.put("pass", s.pass());
            r.put("rule", s.rule());
            r.put("attempts", s.attempts());
            r.put("fired", s.fired());
            r.set("no_match", MAPPER.valueToTree(s.noMatch()));
        }
        if (calibration != null) {
            ObjectNode c = root.putObject("calibration");
            c.put("file", calibration.toString());
            ArrayNode outs = c.putArray("outputs");
            for (OutputError e : errors) {
                ObjectNode o = outs.addObject();
                o.put("output", e.output());
                o.put("max_abs_error", e.maxAbs());
                o.put("relative_l2_error", e.relativeL2());
                putOptional(o, "top1_agreement", e.top1Agreement());
                putOptional(o, "accuracy_before", e.accuracyBefore());
                putOptional(o, "accuracy_after", e.accuracyAfter());
            }
        }
        return root;
    }

    private static void putOptional(ObjectNode o, String name, Double v) {
        if (v == null) o.putNull(name);
        else o.put(name, v);
    }

    private static ObjectNode footprint(Footprint f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("params", f.params());
        o.put("bytes", f.bytes());
        o.put("flops", f.flops().toString());
        if (f.flops().isConstant()) o.put("flops_value", f.flops().constant().getAsLong());
        return o;
    }
}
