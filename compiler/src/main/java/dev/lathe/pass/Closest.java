package dev.lathe.pass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean" suggestions: candidates ordered by Levenshtein distance to what the user wrote.
 * Used for unknown passes and arguments, selectors that match nothing, and missing weights.
 */
public final class Closest {
    private Closest() {}

    /**
     * Up to {@code limit} candidates, nearest first; ties keep the candidates' order, so a
     * registry's or a file's order decides between equally close names.
     */
    public static List<String> rank(String query, Collection<String> candidates, int limit) {
        record Scored(String candidate, int distance) {}
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (String c : candidates) scored.add(new Scored(c, distance(query, c)));
        scored.sort(Comparator.comparingInt(Scored::distance));   // List.sort is stable
        return scored.stream().limit(limit).map(Scored::candidate).toList();
    }

    /** Insertions, deletions and substitutions needed to turn {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
