package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.diag.ErrorDocs;
import dev.lathe.pass.PassDocs;
import dev.lathe.pass.PassRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md and docs/passes.md are generated from the code. Regenerate them with
 * {@code ./mvnw -pl tests test -Dtest=GeneratedDocsTest -Dlathe.updateDocs=true}.
 */
class GeneratedDocsTest {
    @Test
    void errorCatalogueIsCurrent() throws IOException {
        check("docs/errors.md", ErrorDocs.markdown());
    }

    @Test
    void passReferenceIsCurrent() throws IOException {
        check("docs/passes.md", "# Passes\n\nGenerated from `dev.lathe.pass.PassRegistry`.\n\n" + PassDocs.markdown(PassRegistry.standard()));
    }

    private static void check(String rel, String expected) throws IOException {
        Path file = RepoFiles.root().resolve(rel);
        if (Boolean.getBoolean("lathe.updateDocs")) Files.writeString(file, expected);
        assertEquals(expected, Files.exists(file) ? Files.readString(file) : "", rel + " is stale: regenerate it (see this test's Javadoc)");
    }
}
