package cn.jiujinbang.matching.domain;

/**
 * A worker's rating as matching ranks by it: the Bayesian average of residents' stars, as if every
 * worker had started with {@link #PRIOR_WEIGHT} ratings of {@link #PRIOR} stars. A new worker ranks
 * as a good one ({@link #PRIOR}, not 0) and is not buried; a few ratings move it a little, many
 * ratings decide it (docs/matching.md).
 */
public final class WorkerRating {

    /** Where every worker starts: a good neighbour until residents say otherwise. */
    public static final double PRIOR = 4.5;
    /** How many ratings the start counts as. */
    public static final int PRIOR_WEIGHT = 5;

    private WorkerRating() {
    }

    /** The rating after {@code count} ratings with {@code starsSum} stars in all. */
    public static double of(long starsSum, int count) {
        if (count < 0 || starsSum < count || starsSum > 5L * count) {
            throw new IllegalArgumentException("not a sum of " + count + " ratings of 1 to 5 stars: " + starsSum);
        }
        return (PRIOR * PRIOR_WEIGHT + starsSum) / (PRIOR_WEIGHT + count);
    }
}
