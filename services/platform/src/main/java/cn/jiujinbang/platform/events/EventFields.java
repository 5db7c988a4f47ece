package cn.jiujinbang.platform.events;

import java.util.UUID;

/**
 * The checks every event record applies to its own fields when it is built, by its producer or
 * from a Kafka record. A consumer reading an event that fails one gets an exception at once, and
 * the inbox dead-letters the record instead of retrying something that can never succeed.
 */
public final class EventFields {

    private EventFields() {
    }

    /** A value that must be present and not blank. */
    public static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    /** A value that must be present. */
    public static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    /** An id that must be a UUID in its canonical text form (order, offer ids). */
    public static String uuid(String value, String name) {
        required(value, name);
        try {
            if (UUID.fromString(value).toString().equalsIgnoreCase(value)) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " is not a UUID: " + value);
    }

    /** An amount in fen that may be zero but never negative. */
    public static long notNegative(long fen, String name) {
        if (fen < 0) {
            throw new IllegalArgumentException(name + " is negative: " + fen);
        }
        return fen;
    }

    /** An amount in fen that must be above zero. */
    public static long positive(long fen, String name) {
        if (fen <= 0) {
            throw new IllegalArgumentException(name + " must be above zero: " + fen);
        }
        return fen;
    }

    /** A number that must lie in [min, max] (coordinates). */
    public static double within(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) { // also refuses NaN
            throw new IllegalArgumentException(name + " is outside [" + min + ", " + max + "]: " + value);
        }
        return value;
    }
}
