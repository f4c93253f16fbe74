package dev.lathe.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestTest {
    @Test
    void distanceCountsEdits() {
        assertEquals(0, Closest.distance("rank", "rank"));
        assertEquals(1, Closest.distance("rnk", "rank"));        // one insertion
        assertEquals(1, Closest.distance("ranks", "rank"));      // one deletion
        assertEquals(1, Closest.distance("fc1", "fc2"));         // one substitution
        assertEquals(3, Closest.distance("kitten", "sitting"));
        assertEquals(4, Closest.distance("", "rank"));
    }

    @Test
    void rankPutsNearestFirstAndKeepsOrderOnTies() {
        // distances from "lowrnk": lowrank 1, sparsify 7, kernelize 8, quantize 8
        List<String> names = List.of("kernelize", "quantize", "sparsify", "lowrank");
        assertEquals(List.of("lowrank", "sparsify", "kernelize", "quantize"), Closest.rank("lowrnk", names, 10));
        assertEquals(List.of("quantize"), Closest.rank("quantise", names, 1));
        // fc1/fc2 both at distance 1 from fc3: file order decides
        assertEquals(List.of("a.fc1", "a.fc2"), Closest.rank("a.fc3", List.of("a.fc1", "a.fc2", "b.zzz"), 2));
    }
}
