package dev.lathe.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JavaNamesTest {
    @Test
    void facadeNames() {
        assertEquals("TinyEncoder", JavaNames.facadeName("tiny_encoder", "main"));
        assertEquals("DigitsAccuracy", JavaNames.facadeName("digits", "accuracy"));
        assertEquals("M2layer", JavaNames.facadeName("2layer", "main"));
        assertEquals("MyNetEncodeText", JavaNames.facadeName("my-net", "encode_text"));
    }

    @Test
    void packagesFromTheConfigurationAndTheFolders() {
        assertEquals("", JavaNames.packageName("", ""));
        assertEquals("com.acme", JavaNames.packageName(null, "com/acme"));
        assertEquals("org.x.nets.v_1", JavaNames.packageName("org.x", "nets/v-1"));
        assertEquals("_2024.int_", JavaNames.packageName("", "2024/int"));
    }

    @Test
    void identifiers() {
        assertEquals("class_", JavaNames.identifier("class"));
        assertEquals("x_0", JavaNames.identifier("x.0"));
        assertEquals("_9", JavaNames.identifier("9"));
        assertEquals("a_b", JavaNames.identifier("a$b"));
        assertEquals(List.of("x", "x_2", "model_", "model"), JavaNames.uniqueIdentifiers(List.of("x", "x", "model_", "model"), Set.of()));
        assertEquals(List.of("model_2"), JavaNames.uniqueIdentifiers(List.of("model"), Set.of("model")));
    }
}
