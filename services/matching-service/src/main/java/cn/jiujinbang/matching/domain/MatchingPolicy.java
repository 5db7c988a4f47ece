package cn.jiujinbang.matching.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * "就近": the nearest eligible workers get the order first.
 * <ul>
 *   <li>Eligible: available, has the service's skill, and the order lies within both the worker's
 *       own service radius and the round's search radius.</li>
 *   <li>Ranked by distance in {@link #DISTANCE_BAND_METERS} bands (two workers 20 m apart are
 *       equally near), then by higher rating, then by fewer active jobs, then by id (stable).</li>
 *   <li>Each round offers the order to the top {@code fanout} at once for {@code offerTtl}; a round
 *       with nobody accepting widens the search radius; after the last round the order is unmatched.</li>
 * </ul>
 */
public record MatchingPolicy(int fanout, Duration offerTtl, List<Integer> roundRadiiMeters) {

    public static final int DISTANCE_BAND_METERS = 100;

    public static final Comparator<Candidate> RANKING = Comparator
            .comparingLong((Candidate c) -> (long) Math.floor(c.distanceMeters() / DISTANCE_BAND_METERS))
            .thenComparing(Comparator.comparingDouble(Candidate::rating).reversed())
            .thenComparingInt(Candidate::activeJobs)
            .thenComparing(Candidate::workerId);

    public MatchingPolicy {
        if (fanout < 1 || offerTtl.isNegative() || offerTtl.isZero() || roundRadiiMeters.isEmpty()) {
            throw new IllegalArgumentException("fanout >= 1, a positive TTL and at least one round are required");
        }
        for (int i = 1; i < roundRadiiMeters.size(); i++) {
            if (roundRadiiMeters.get(i) <= roundRadiiMeters.get(i - 1)) {
                throw new IllegalArgumentException("each round must search wider than the one before: " + roundRadiiMeters);
            }
        }
        roundRadiiMeters = List.copyOf(roundRadiiMeters);
    }

    public int rounds() {
        return roundRadiiMeters.size();
    }

    /** The search radius of round {@code round} (1-based), or empty after the last round. */
    public Optional<Integer> searchRadius(int round) {
        return round >= 1 && round <= rounds() ? Optional.of(roundRadiiMeters.get(round - 1)) : Optional.empty();
    }

    public static boolean isEligible(WorkerSnapshot worker, String serviceCode, GeoPoint orderAt, int searchRadiusMeters) {
        return worker.available()
                && worker.serviceCodes().contains(serviceCode)
                && worker.home().metersTo(orderAt) <= Math.min(worker.radiusMeters(), searchRadiusMeters);
    }

    /** The workers to offer this round: the best {@code fanout} candidates by {@link #RANKING}. */
    public List<Candidate> choose(List<Candidate> candidates) {
        return candidates.stream().sorted(RANKING).limit(fanout).toList();
    }
}
