package cn.jiujinbang.order.domain;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartCodeTests {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    @Test
    void codesAreFourDigitsAndSpreadOverAllTenThousand() {
        Random random = new Random(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String code = StartCode.generate(random);
            assertTrue(StartCode.wellFormed(code), code);
            seen.add(code);
        }
        assertTrue(seen.size() > 9_900, "distinct codes: " + seen.size());
        assertTrue(seen.contains("0000") && seen.contains("9999"));
    }

    @Test
    void onlyFourAsciiDigitsAreWellFormed() {
        assertTrue(StartCode.wellFormed("0427"));
        assertFalse(StartCode.wellFormed(null));
        assertFalse(StartCode.wellFormed("427"));
        assertFalse(StartCode.wellFormed("04270"));
        assertFalse(StartCode.wellFormed("04a7"));
        assertFalse(StartCode.wellFormed("０４２７")); // full-width digits
    }

    @Test
    void theRightCodeStartsAndClearsTheCount() {
        StartCode.Attempt a = StartCode.check("0427", "0427", 3, null, NOW);
        assertInstanceOf(StartCode.Accepted.class, a);
        assertEquals(0, a.wrongInARow());
    }

    @Test
    void theFifthWrongCodeInARowLocksForTenMinutesAndTheCountStartsAgain() {
        int wrong = 0;
        OffsetDateTime locked = null;
        for (int i = 1; i <= 4; i++) {
            StartCode.Attempt a = StartCode.check("0427", "1111", wrong, locked, NOW);
            assertEquals(new StartCode.Wrong(i, 5 - i, null), a);
            wrong = a.wrongInARow();
        }
        StartCode.Attempt fifth = StartCode.check("0427", "1111", wrong, null, NOW);
        assertEquals(new StartCode.Wrong(0, 0, NOW.plusMinutes(10)), fifth);

        // while locked even the right code is not compared
        assertEquals(new StartCode.Locked(0, NOW.plusMinutes(10)),
                StartCode.check("0427", "0427", 0, fifth.lockedUntil(), NOW.plusMinutes(9).plusSeconds(59)));
        // after ten minutes the right code starts, and a wrong one counts from one again
        assertInstanceOf(StartCode.Accepted.class, StartCode.check("0427", "0427", 0, fifth.lockedUntil(), NOW.plusMinutes(10)));
        assertEquals(new StartCode.Wrong(1, 4, null), StartCode.check("0427", "1111", 0, fifth.lockedUntil(), NOW.plusMinutes(10)));
    }

    @Test
    void anOrderWithoutACodeNeverStarts() {
        assertInstanceOf(StartCode.Wrong.class, StartCode.check(null, "0000", 0, null, NOW));
    }
}
