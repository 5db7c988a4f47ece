package cn.jiujinbang.matching.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Ratings steer matching without burying newcomers or letting one rating decide. */
class WorkerRatingTests {

    @Test
    void aNewWorkerStartsAtThePriorAndOneRatingMovesItALittle() {
        assertEquals(4.5, WorkerRating.of(0, 0), 1e-9);
        assertEquals((4.5 * 5 + 5) / 6, WorkerRating.of(5, 1), 1e-9);
        assertEquals((4.5 * 5 + 1) / 6, WorkerRating.of(1, 1), 1e-9);
        assertTrue(WorkerRating.of(1, 1) > 3.8, "one bad rating does not sink a worker");
    }

    @Test
    void manyRatingsDecideAndANewcomerIsNotBuriedUnderAMediocreVeteran() {
        double veteran = WorkerRating.of(200 * 4, 200); // 200 ratings of 4 stars
        assertEquals(4.0, veteran, 0.02);
        assertTrue(WorkerRating.of(0, 0) > veteran, "a newcomer ranks above a veteran residents find mediocre");
        double excellent = WorkerRating.of(100 * 5, 100);
        assertTrue(excellent > WorkerRating.of(0, 0), "proven excellence ranks above the newcomer");
        List<Candidate> ranked = new java.util.ArrayList<>(List.of(new Candidate("veteran", 500, veteran, 0),
                new Candidate("newcomer", 520, WorkerRating.of(0, 0), 0)));
        ranked.sort(MatchingPolicy.RANKING);
        assertEquals("newcomer", ranked.get(0).workerId(), "equally near, the better rating is offered first");
    }

    @Test
    void onlySumsThatRatingsCanMakeAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> WorkerRating.of(6, 1));
        assertThrows(IllegalArgumentException.class, () -> WorkerRating.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> WorkerRating.of(3, -1));
    }
}
