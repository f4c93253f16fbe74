package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameSuggestionsTest {
    @Test
    void distanceCountsCaseChangesAsHalfSteps() {
        assertEquals(0, NameSuggestions.distance("Linear", "Linear"));
        assertEquals(1, NameSuggestions.distance("linear", "Linear"));
        assertEquals(2, NameSuggestions.distance("Linea", "Linear"));
        assertEquals(4, NameSuggestions.distance("Linaer", "Linear"));
        assertEquals(12, NameSuggestions.distance("", "Linear"));
    }

    @Test
    void closestNamesComeFirstAndFarOnesNot() {
        List<String> names = List.of("Linear", "linear", "LayerNorm", "Mlp", "relu", "Embedding");
        assertEquals(List.of("linear", "Linear"), NameSuggestions.closest("linea", names));
        assertEquals(List.of("Mlp"), NameSuggestions.closest("MLP", names));
        assertEquals(List.of(), NameSuggestions.closest("conv", names));
        assertEquals("", NameSuggestions.didYouMean("conv", names));
        assertEquals("; did you mean relu?", NameSuggestions.didYouMean("rellu", names));
    }
}
