package dev.lathe.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBuildTest {
    static final String TINY = """
            model tiny version 1;
            import std.nn.*;

            dim B in 1..64;
            weights "tiny.safetensors";

            /// Three scores per row.
            graph main(x: f32[B, 4]) -> (y: f32[B, 3]) {
              return Linear(x, out = 3) named "fc";
            }

            graph hidden(x: f32[B, 4]) -> (h: f32[B, 3]) {
              return relu(Linear(x, out = 3) named "fc");
            }
            """;

    static final String BLOCKS = """
            model blocks version 1;
            const SCALE = 2.0;

            block Twice(x: f32[N, D]) -> f32[N, D] {
              return x * SCALE;
            }
            """;

    static final String A = """
            model a version 1;
            import "lib/blocks.model";

            dim B in 1..8;

            graph main(x: f32[B, 4]) -> f32[B, 4] {
              return Twice(x);
            }
            """;

    static final String B = """
            model b version 1;
            dim B;

            graph main(x: f32[B, 2]) -> f32[B, 2] {
              return relu(x);
            }
            """;

    @TempDir Path dir;
    TestProject project;

    @BeforeEach
    void setUp() {
        project = new TestProject(dir);
    }

    static Map<String, Tensor> tinyWeights() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        float[] weight = new float[12];
        for (int i = 0; i < weight.length; i++) weight[i] = (i % 5) * 0.25f - 0.5f;
        w.put("fc.weight", Tensor.ofFloats(new long[] {3, 4}, weight));
        w.put("fc.bias", Tensor.ofFloats(new long[] {3}, new float[] {0.1f, -0.2f, 0.3f}));
        return w;
    }

    void importsProject() throws Exception {
        project.model("lib/blocks.model", BLOCKS);
        project.model("a.model", A);
        project.model("b.model", B);
    }

    @Test
    void compilesEveryGraphIntoAFacadeAndItsResources() throws Exception {
        project.model("com/acme/tiny.model", TINY);
        project.weights("com/acme/tiny.safetensors", tinyWeights());
        ModelBuild.Result r = project.build();
        assertEquals(List.of(), project.messages);
        assertEquals(1, r.compiled());
        for (String cls : List.of("Tiny", "TinyHidden")) {
            assertTrue(Files.isRegularFile(project.sourcesOut().resolve("com/acme/" + cls + ".java")), cls);
            for (String ext : List.of(".lathe", ".class", ".safetensors")) {
                assertTrue(Files.isRegularFile(project.resourcesOut().resolve("META-INF/lathe/com/acme/" + cls + ext)), cls + ext);
            }
        }
        String facade = Files.readString(project.sourcesOut().resolve("com/acme/Tiny.java"));
        assertTrue(facade.contains("package com.acme;"), facade);
        assertTrue(facade.contains("public float[][] run(float[][] x)"), facade);
        assertTrue(facade.contains("Three scores per row."), facade);
    }

    @Test
    void packageNameIsPrefixedToTheFolder() throws Exception {
        project.packageName = "org.example";
        project.model("nets/b.model", B);
        project.build();
        String facade = Files.readString(project.sourcesOut().resolve("org/example/nets/B.java"));
        assertTrue(facade.contains("package org.example.nets;"), facade);
    }

    @Test
    void secondBuildWithNothingChangedWritesNothing() throws Exception {
        importsProject();
        project.model("com/acme/tiny.model", TINY);
        project.weights("com/acme/tiny.safetensors", tinyWeights());
        ModelBuild.Result first = project.build();
        assertEquals(4, first.compiled());
        assertEquals(1, first.libraries());
        Map<String, String> before = project.snapshot();
        Thread.sleep(20);

        ModelBuild.Result second = project.build();
        assertEquals(0, second.compiled());
        assertEquals(4, second.upToDate());
        assertEquals(List.of(), project.compiled());
        assertEquals(List.of(), project.changed);
        assertEquals(before, project.snapshot(), "every file under target/, state included, keeps its time and content");
    }

    @Test
    void changingAnImportedFileRecompilesItsImporters() throws Exception {
        importsProject();
        project.build();
        Map<String, String> before = project.snapshot();

        project.model("lib/blocks.model", BLOCKS.replace("SCALE = 2.0", "SCALE = 3.0"));
        ModelBuild.Result r = project.build();
        assertEquals(List.of("a.model", "lib/blocks.model"), project.compiled());
        assertEquals(1, r.upToDate());
        Map<String, String> after = project.snapshot();
        for (String f : before.keySet()) {
            if (f.contains("/B.")) assertEquals(before.get(f), after.get(f), f + " belongs to b.model, which does not import the file");
        }
        assertTrue(project.changed.stream().anyMatch(p -> p.getFileName().toString().startsWith("A.")), project.changed.toString());
    }

    @Test
    void aRecompileThatProducesTheSameBytesRewritesNothing() throws Exception {
        importsProject();
        project.build();
        Map<String, String> before = project.snapshot();
        project.model("lib/blocks.model", "// a comment changes the hash, not the code\n" + BLOCKS);
        project.build();
        assertEquals(List.of("a.model", "lib/blocks.model"), project.compiled());
        assertEquals(List.of(), project.changed);
        Map<String, String> after = project.snapshot();
        after.keySet().removeIf(k -> k.endsWith("state.txt"));
        before.keySet().removeIf(k -> k.endsWith("state.txt"));
        assertEquals(before, after);
    }

    @Test
    void changingTheWeightsRecompiles() throws Exception {
        project.model("tiny.model", TINY);
        project.weights("tiny.safetensors", tinyWeights());
        project.build();
        Map<String, Tensor> w = tinyWeights();
        w.put("fc.bias", Tensor.ofFloats(new long[] {3}, new float[] {1, 2, 3}));
        project.weights("tiny.safetensors", w);
        project.build();
        assertEquals(List.of("tiny.model"), project.compiled());
    }

    @Test
    void changingTheConfigurationOrTheCompilerRecompilesEverything() throws Exception {
        importsProject();
        project.build();
        project.passes = List.of("lowrank(rank = 1) on \"nothing.*\"");
        project.build();
        // The selector matches nothing in any graph: an error (E0502) in each model with a graph.
        assertEquals(List.of("a.model", "b.model", "lib/blocks.model"), project.compiled());
        project.passes = List.of();
        project.build();
        project.compilerId = "test-compiler-2";
        project.build();
        assertEquals(List.of("a.model", "b.model", "lib/blocks.model"), project.compiled());
    }

    @Test
    void aRemovedModelTakesItsOutputsAlong() throws Exception {
        importsProject();
        project.build();
        Path facade = project.sourcesOut().resolve("B.java");
        assertTrue(Files.exists(facade));
        Files.delete(project.models().resolve("b.model"));
        project.build();
        assertFalse(Files.exists(facade));
        assertFalse(Files.exists(project.resourcesOut().resolve("META-INF/lathe/B.class")));
        assertTrue(Files.exists(project.sourcesOut().resolve("A.java")));
    }

    @Test
    void aDeletedOutputIsWrittenAgain() throws Exception {
        project.model("b.model", B);
        project.build();
        Path cls = project.resourcesOut().resolve("META-INF/lathe/B.class");
        Files.delete(cls);
        project.build();
        assertEquals(List.of("b.model"), project.compiled());
        assertTrue(Files.exists(cls));
    }

    @Test
    void userErrorsNameFileLineAndColumnAndOtherModelsStillCompile() throws Exception {
        project.model("b.model", B);
        project.model("bad.model", """
                model bad version 1;
                dim B;

                graph main(x: f32[B, 4], y: f32[B, 3]) -> f32[B, 4] {
                  return x + y;
                }
                """);
        ModelBuild.Result r = project.build();
        assertEquals(List.of("src/main/models/bad.model"), r.failed());
        assertEquals(1, r.errors());
        assertEquals(List.of("error src/main/models/bad.model:[5,10] E0301: shape mismatch in add: f32[B, 4] vs f32[B, 3]"), project.messages);
        assertTrue(Files.exists(project.sourcesOut().resolve("B.java")));
        // A failed model is compiled again by the next build, and fails again.
        r = project.build();
        assertEquals(List.of("bad.model"), project.compiled());
        assertEquals(1, r.failed().size());
    }

    @Test
    void syntaxErrorsAndMissingImportsAreUserErrors() throws Exception {
        project.model("syntax.model", "model syntax version 1;\ngraph main(x: f32[2]) -> f32[2] { return x +; }\n");
        project.model("missing.model", "model missing version 1;\nimport \"nowhere.model\";\ngraph main(x: f32[2]) -> f32[2] { return x; }\n");
        ModelBuild.Result r = project.build();
        assertEquals(2, r.failed().size());
        assertTrue(project.messages.stream().anyMatch(m -> m.startsWith("error src/main/models/syntax.model:[2,") && m.contains("E01")),
                project.messages.toString());
        assertTrue(project.messages.stream().anyMatch(m -> m.startsWith("error src/main/models/missing.model:[2,1] E0205")),
                project.messages.toString());
    }

    @Test
    void warningsFailTheModelWithFailOnWarning() throws Exception {
        project.model("tiny.model", TINY.replace("weights \"tiny.safetensors\";", "weights \"tiny.safetensors\" lenient;"));
        Map<String, Tensor> w = tinyWeights();
        w.put("unused", Tensor.ofFloats(new long[] {1}, new float[] {0}));
        project.weights("tiny.safetensors", w);
        ModelBuild.Result r = project.build();
        assertEquals(List.of(), r.failed());
        assertEquals(1, r.warnings(), project.messages.toString());
        assertTrue(project.messages.getFirst().startsWith("warning src/main/models/tiny.model:"), project.messages.toString());

        project.failOnWarning = true;
        r = project.build();
        assertEquals(List.of("src/main/models/tiny.model"), r.failed());
        r = project.build();
        assertEquals(List.of("tiny.model"), project.compiled(), "a model whose warnings failed the build is not up to date");
        assertEquals(1, r.failed().size());
    }

    @Test
    void passesFromTheConfigurationAreAppliedToEveryModel() throws Exception {
        project.model("tiny.model", TINY);
        project.weights("tiny.safetensors", tinyWeights());
        project.passes = List.of("lowrank(rank = 1) on \"fc.weight\";");
        ModelBuild.Result r = project.build();
        assertEquals(List.of(), r.failed(), project.messages.toString());
        assertTrue(project.infos.stream().anyMatch(s -> s.contains("lowrank on fc.weight")), project.infos.toString());
        String descriptor = Files.readString(project.resourcesOut().resolve("META-INF/lathe/Tiny.lathe"));
        assertTrue(descriptor.contains("fc.weight.A"), descriptor);
    }

    @Test
    void badPassStatementsAreConfigurationErrors() throws Exception {
        project.model("b.model", B);
        project.passes = List.of("lowrank(rank = ) on \"x\"");
        assertThrows(ModelBuild.ConfigurationException.class, project::build);
        assertTrue(project.messages.getFirst().startsWith("error <passes>[1]:[1,"), project.messages.toString());
        project.passes = List.of("nosuchpass(x = 1) on \"fc.weight\"");
        ModelBuild.Result r = project.build();
        assertEquals(1, r.failed().size());
        assertTrue(project.messages.getFirst().contains("E0501"), project.messages.toString());
    }

    @Test
    void otherBackendsAreRejected() throws Exception {
        project.model("b.model", B);
        project.backend = "opencl";
        ModelBuild.ConfigurationException e = assertThrows(ModelBuild.ConfigurationException.class, project::build);
        assertTrue(e.getMessage().contains("jvm backend only"), e.getMessage());
    }

    @Test
    void includesAndExcludesSelectTheModels() throws Exception {
        project.model("b.model", B);
        project.model("drafts/broken.model", "not a model");
        project.excludes = List.of("drafts/**");
        ModelBuild.Result r = project.build();
        assertEquals(1, r.models());
        assertEquals(List.of(), r.failed());
    }

    @Test
    void sourceSizeAndNestingLimitsAreEnforced() throws Exception {
        project.model("b.model", B);
        project.limits = new Limits(20, 200, 1_000_000, 100_000);
        project.build();
        assertTrue(project.messages.getFirst().contains("E0701"), project.messages.toString());

        project.limits = new Limits(1 << 20, 2, 1_000_000, 100_000);
        project.model("b.model", """
                model b version 1;
                dim B;
                block In(x: f32[B, 2]) -> f32[B, 2] { return relu(x); }
                block Mid(x: f32[B, 2]) -> f32[B, 2] { return In(x); }
                block Out(x: f32[B, 2]) -> f32[B, 2] { return Mid(x); }
                graph main(x: f32[B, 2]) -> f32[B, 2] { return Out(x); }
                """);
        project.build();
        assertTrue(project.messages.getFirst().contains("E0702"), project.messages.toString());

        project.limits = new Limits(0, 200, 1, 1);
        assertThrows(ModelBuild.ConfigurationException.class, project::build);
    }

    @Test
    void twoModelsWritingOneClassIsAnError() throws Exception {
        project.model("a_b.model", B);
        project.build();
        project.model("aB.model", B);
        ModelBuild.Result r = project.build();
        assertEquals(List.of("src/main/models/aB.model"), r.failed());
        assertTrue(project.messages.getFirst().contains("which a_b.model"), project.messages.toString());
        assertNotEquals(0, Files.size(project.sourcesOut().resolve("AB.java")));
    }
}
