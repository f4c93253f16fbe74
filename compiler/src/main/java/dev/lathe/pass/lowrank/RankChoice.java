package dev.lathe.pass.lowrank;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The rank r that each {@code lowrank} rule picks from the singular values {@code sigma_1 >= ...
 * >= sigma_k} (k = min(m, n)), always within {@code 1..k}: a factorization keeps at least one
 * direction, and a rank above k is clamped to k (which the profitability gate then rejects).
 * <ul>
 *   <li>{@code rank = r}: min(r, k).</li>
 *   <li>{@code ratio = rho}: ceil(rho * k), computed on the decimal value written, so that
 *       {@code ratio = 0.1} of 30 is 3, not 4 from 0.1's binary excess.</li>
 *   <li>{@code energy = tau}: the smallest r with {@code sum_{i <= r} sigma_i^2 >= tau * sum_i sigma_i^2},
 *       so the dropped energy is at most (1 - tau) of the total and
 *       {@code ||W - BA||_F <= sqrt(1 - tau) ||W||_F}. An all-zero matrix gets r = 1.</li>
 *   <li>{@code threshold = t} (WeLore): the singular values are min-max normalized per matrix,
 *       {@code (sigma_i - sigma_k) / (sigma_1 - sigma_k)}, and those below t are dropped; sigma_1
 *       normalizes to 1 and is always kept. A constant spectrum (the spread
 *       {@code sigma_1 - sigma_k} at most {@value #CONSTANT_SPREAD} of sigma_1, which includes a
 *       zero or orthogonal matrix) has no tail to tell apart, and normalizing it would only
 *       magnify rounding noise: it keeps all k values (and is then unprofitable).</li>
 * </ul>
 */
public final class RankChoice {
    /** Relative spread of the singular values below which a spectrum counts as constant. */
    public static final double CONSTANT_SPREAD = 1e-9;

    private RankChoice() {}

    /** The rank for a {@code lowrank} target's resolved arguments (exactly one of rank, ratio, energy, threshold). */
    public static int choose(Map<String, Object> args, double[] sigma) {
        int k = sigma.length;
        if (args.get("rank") instanceof Long r) return fixed(r, k);
        if (args.get("ratio") instanceof Double rho) return ratio(rho, k);
        if (args.get("energy") instanceof Double tau) return energy(tau, sigma);
        if (args.get("threshold") instanceof Double t) return threshold(t, sigma);
        throw new IllegalArgumentException("lowrank needs one of rank, ratio, energy, threshold; got " + args.keySet());
    }

    /** The rule as written, for reports: {@code energy = 0.95}. */
    public static String describe(Map<String, Object> args) {
        for (String name : new String[] {"rank", "ratio", "energy", "threshold"}) {
            if (args.containsKey(name)) return name + " = " + args.get(name);
        }
        return "?";
    }

    public static int fixed(long rank, int k) {
        if (rank < 1) throw new IllegalArgumentException("rank " + rank + " is below 1");
        return (int) Math.min(rank, k);
    }

    public static int ratio(double ratio, int k) {
        long r = new BigDecimal(Double.toString(ratio)).multiply(BigDecimal.valueOf(k)).setScale(0, RoundingMode.CEILING).longValueExact();
        return Math.clamp(r, 1, k);
    }

    public static int energy(double tau, double[] sigma) {
        int k = sigma.length;
        double[] cumulative = new double[k];
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += sigma[i] * sigma[i];
            cumulative[i] = s;
        }
        // total is the last partial sum, so tau = 1 is met exactly at r = k.
        double total = s;
        if (total == 0) return 1;
        for (int i = 0; i < k; i++) {
            if (cumulative[i] >= tau * total) return i + 1;
        }
        return k;
    }

    public static int threshold(double t, double[] sigma) {
        int k = sigma.length;
        double max = sigma[0];
        double min = sigma[k - 1];
        if (max - min <= CONSTANT_SPREAD * max) return k;
        int r = 0;
        while (r < k && (sigma[r] - min) / (max - min) >= t) r++;
        return Math.max(r, 1);
    }
}
