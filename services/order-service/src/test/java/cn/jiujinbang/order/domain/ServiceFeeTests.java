package cn.jiujinbang.order.domain;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceFeeTests {

    @Test
    void roundsHalfUpToTheFen() {
        assertEquals(544, ServiceFee.feeFen(6800, 800));   // 5.44 yuan exactly
        assertEquals(1, ServiceFee.feeFen(7, 800));        // 0.56 fen -> 1
        assertEquals(0, ServiceFee.feeFen(6, 800));        // 0.48 fen -> 0
        assertEquals(5, ServiceFee.feeFen(100, 500));      // exactly 5
        assertEquals(0, ServiceFee.feeFen(123_456, 0));
    }

    @Test
    void refusesNonsenseRates() {
        assertThrows(IllegalArgumentException.class, () -> ServiceFee.feeFen(100, -1));
        assertThrows(IllegalArgumentException.class, () -> ServiceFee.feeFen(100, 10_001));
    }

    @Test
    void postingRulesNameEachBadField() {
        OffsetDateTime now = OffsetDateTime.of(2026, 11, 29, 10, 0, 0, 0, ZoneOffset.ofHours(8));
        var violations = PostingRules.check("", 91.0, 181.0, " ", now.minusHours(3), now.minusHours(2), 50L, now);
        var fields = violations.stream().map(PostingRules.Violation::field).toList();
        assertEquals(java.util.List.of("description", "location.lat", "location.lon", "location.address",
                "window.end", "priceFen"), fields);
        assertTrue(PostingRules.check("walk the dog", 29.5, 106.5, "Xiejiawan", now.plusHours(1), now.plusHours(2),
                6000L, now).isEmpty());
        assertEquals("window.end", PostingRules.check("x", 29.5, 106.5, "a", now.plusHours(2), now.plusHours(1),
                6000L, now).get(0).field());
    }
}
