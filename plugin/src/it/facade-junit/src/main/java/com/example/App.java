package com.example;

import java.util.Arrays;

/** Application code that calls the generated facade like any other class. */
public final class App {
    private static final Scorer SCORER = Scorer.load();

    private App() {}

    public static float[][] score(float[][] rows) {
        return SCORER.run(rows);
    }

    public static void main(String[] args) {
        System.out.println(Arrays.deepToString(score(new float[][] {{1, -2, 3}})));
    }
}
