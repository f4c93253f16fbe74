package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.ast.ModelFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** STYLE.md §6: parse, print, parse again over every {@code .model} file in the repository. */
class RoundTripTest {

    static Stream<Path> models() {
        return TestFiles.repositoryModels().stream();
    }

    @Test
    void findsTheKnownModels() {
        List<String> found = models().map(p -> TestFiles.repositoryRoot().relativize(p).toString().replace('\\', '/')).toList();
        for (String known : List.of("stdlib/src/main/resources/std/ops.model", "stdlib/src/main/resources/std/nn.model",
                "compiler/src/test/resources/parse/language_example.model")) {
            assertTrue(found.contains(known), known + " in " + found);
        }
        assertTrue(found.stream().noneMatch(p -> p.contains("/target") || p.startsWith("target")), found::toString);
        assertTrue(found.stream().noneMatch(p -> p.contains("parse/errors/")), "broken snippets are not round-tripped");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void formatParsesBackToTheSameStructureAndIsIdempotent(Path model) {
        String file = model.toString();
        ModelFile original = ModelParser.parse(file, TestFiles.read(model));
        String formatted = ModelFormatter.format(original);
        ModelFile reparsed = ModelParser.parse(file, formatted);
        assertEquals(AstStructure.withoutSpans(original), AstStructure.withoutSpans(reparsed), formatted);
        assertEquals(original.comments().stream().map(ModelFile.Comment::text).toList(),
                reparsed.comments().stream().map(ModelFile.Comment::text).toList());
        assertEquals(formatted, ModelFormatter.format(reparsed));
    }
}
