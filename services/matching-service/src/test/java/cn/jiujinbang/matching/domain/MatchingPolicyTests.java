package cn.jiujinbang.matching.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class MatchingPolicyTests {

    private static final GeoPoint ORDER = new GeoPoint(29.5053, 106.5126);
    private final MatchingPolicy policy = new MatchingPolicy(3, Duration.ofMinutes(2), List.of(3000, 6000, 10000));

    private static GeoPoint north(double meters) {
        return new GeoPoint(ORDER.lat() + meters / 111_320.0, ORDER.lon());
    }

    private static WorkerSnapshot worker(Set<String> skills, GeoPoint home, int radius, boolean available) {
        return new WorkerSnapshot("w", skills, home, radius, available, 4.5, 0);
    }

    @Test
    void distanceAgreesWithTheEarthSphere() {
        assertEquals(1000, ORDER.metersTo(north(1000)), 5);
        assertEquals(0, ORDER.metersTo(ORDER), 1e-9);
    }

    @Test
    void eligibleNeedsAvailabilitySkillAndBothRadii() {
        Set<String> pets = Set.of("PET_CARE");
        assertTrue(MatchingPolicy.isEligible(worker(pets, north(1000), 2000, true), "PET_CARE", ORDER, 3000));
        assertFalse(MatchingPolicy.isEligible(worker(pets, north(1000), 2000, false), "PET_CARE", ORDER, 3000), "unavailable");
        assertFalse(MatchingPolicy.isEligible(worker(pets, north(1000), 2000, true), "MEDICAL_ESCORT", ORDER, 3000), "unskilled");
        assertFalse(MatchingPolicy.isEligible(worker(pets, north(2500), 2000, true), "PET_CARE", ORDER, 3000), "beyond own radius");
        assertFalse(MatchingPolicy.isEligible(worker(pets, north(3500), 5000, true), "PET_CARE", ORDER, 3000), "beyond search radius");
        assertTrue(MatchingPolicy.isEligible(worker(pets, north(3500), 5000, true), "PET_CARE", ORDER, 6000), "a wider round reaches them");
    }

    @Test
    void ranksByDistanceThenRatingThenLoad() {
        Candidate far = new Candidate("far", 2500, 5.0, 0);
        Candidate nearLowRating = new Candidate("near-low", 400, 3.9, 0);
        Candidate nearHighRatingBusy = new Candidate("near-high-busy", 420, 4.9, 3);
        Candidate nearHighRatingIdle = new Candidate("near-high-idle", 450, 4.9, 0);
        Candidate nearest = new Candidate("nearest", 150, 3.0, 5);
        List<Candidate> chosen = policy.choose(List.of(far, nearLowRating, nearHighRatingBusy, nearHighRatingIdle, nearest));
        assertEquals(List.of("nearest", "near-high-idle", "near-high-busy"), chosen.stream().map(Candidate::workerId).toList());
    }

    @Test
    void exactTiesAreBrokenByIdSoRankingIsStable() {
        Candidate b = new Candidate("b", 500, 4.5, 1);
        Candidate a = new Candidate("a", 500, 4.5, 1);
        assertEquals(List.of("a", "b"), policy.choose(List.of(b, a)).stream().map(Candidate::workerId).toList());
    }

    @Test
    void roundsWidenAndEnd() {
        assertEquals(3000, policy.searchRadius(1).orElseThrow());
        assertEquals(10000, policy.searchRadius(3).orElseThrow());
        assertTrue(policy.searchRadius(4).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new MatchingPolicy(3, Duration.ofMinutes(1), List.of(5000, 3000)));
        assertThrows(IllegalArgumentException.class, () -> new MatchingPolicy(0, Duration.ofMinutes(1), List.of(3000)));
    }
}
