package dev.lathe.frontend.elab;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "did you mean" lists for unknown names: the candidates closest by edit distance. */
final class NameSuggestions {
    private static final int MAX_SUGGESTIONS = 3;

    private NameSuggestions() {}

    /**
     * Up to three candidates within an edit distance of a third of the name's length (at least 2),
     * closest first, ties alphabetically. Case differences count half, so {@code linear} finds
     * {@code Linear} before {@code lineal}.
     */
    static List<String> closest(String name, Collection<String> candidates) {
        int budget = Math.max(2, name.length() / 3) * 2;
        return candidates.stream()
                .distinct()
                .filter(c -> !c.equals(name))
                .map(c -> new Scored(c, distance(name, c)))
                .filter(s -> s.score <= budget)
                .sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::name))
                .limit(MAX_SUGGESTIONS)
                .map(Scored::name)
                .toList();
    }

    /** {@code ; did you mean a, b?} or the empty string when nothing is close. */
    static String didYouMean(String name, Collection<String> candidates) {
        List<String> c = closest(name, candidates);
        return c.isEmpty() ? "" : "; did you mean " + String.join(", ", c) + "?";
    }

    private record Scored(String name, int score) {}

    /** Levenshtein distance in half-steps: a substitution that only changes case costs 1, others 2. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = 2 * j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = 2 * i;
            for (int j = 1; j <= b.length(); j++) {
                char x = a.charAt(i - 1);
                char y = b.charAt(j - 1);
                int sub = x == y ? 0 : lower(x) == lower(y) ? 1 : 2;
                cur[j] = Math.min(Math.min(prev[j] + 2, cur[j - 1] + 2), prev[j - 1] + sub);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static char lower(char c) {
        return Character.toLowerCase(c);
    }
}
