package cn.jiujinbang.order.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.random.RandomGenerator;

/**
 * The code at the door: when a worker wins an order the resident's app shows four digits, and the
 * worker starts the job by entering them, so "started" means the worker was there. Guessing is
 * limited: the fifth wrong code in a row locks starting that order for ten minutes (10,000 codes,
 * five guesses per ten minutes: a guesser needs weeks, a worker at the door asks again).
 */
public final class StartCode {

    public static final int MAX_WRONG = 5;
    public static final Duration LOCK = Duration.ofMinutes(10);

    private StartCode() {
    }

    /** A fresh code, {@code 0000} to {@code 9999}. */
    public static String generate(RandomGenerator random) {
        return String.format("%04d", random.nextInt(10_000));
    }

    /** Whether {@code code} has the form of a start code (four ASCII digits). */
    public static boolean wellFormed(String code) {
        return code != null && code.length() == 4 && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** What an attempt to start leads to; the order keeps {@code wrongInARow} and {@code lockedUntil}. */
    public sealed interface Attempt {
        int wrongInARow();

        OffsetDateTime lockedUntil();
    }

    /** The code matched: the job starts and the count of wrong codes is cleared. */
    public record Accepted() implements Attempt {
        @Override
        public int wrongInARow() {
            return 0;
        }

        @Override
        public OffsetDateTime lockedUntil() {
            return null;
        }
    }

    /** A wrong code; after the fifth in a row {@code lockedUntil} is set (and the count starts again). */
    public record Wrong(int wrongInARow, int attemptsLeft, OffsetDateTime lockedUntil) implements Attempt {
    }

    /** Starting is locked by earlier wrong codes; the code was not even compared. */
    public record Locked(int wrongInARow, OffsetDateTime lockedUntil) implements Attempt {
    }

    /**
     * Checks {@code given} against the order's {@code expected} code at {@code now}, given the wrong
     * codes so far and the lock they may have set.
     */
    public static Attempt check(String expected, String given, int wrongInARow, OffsetDateTime lockedUntil,
                                OffsetDateTime now) {
        if (lockedUntil != null && now.isBefore(lockedUntil)) {
            return new Locked(wrongInARow, lockedUntil);
        }
        if (expected != null && expected.equals(given)) {
            return new Accepted();
        }
        int wrong = wrongInARow + 1;
        if (wrong >= MAX_WRONG) {
            return new Wrong(0, 0, now.plus(LOCK));
        }
        return new Wrong(wrong, MAX_WRONG - wrong, null);
    }
}
