package cn.jiujinbang.order.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resident's request must satisfy to be posted. Bounds are documented in docs/api.md:
 * price 1 to 5,000 yuan; description 1 to 500 characters; a window that ends in the future, starts
 * before it ends, lasts at most 7 days and starts within 90 days.
 */
public final class PostingRules {

    public static final long MIN_PRICE_FEN = 100;
    public static final long MAX_PRICE_FEN = 500_000;
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_ADDRESS = 200;
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    public static final Duration MAX_LEAD = Duration.ofDays(90);

    private PostingRules() {
    }

    /** A rejected field and why. */
    public record Violation(String field, String message) {
    }

    public static List<Violation> check(String description, Double lat, Double lon, String address,
                                        OffsetDateTime start, OffsetDateTime end, Long priceFen, OffsetDateTime now) {
        List<Violation> violations = new ArrayList<>();
        if (description == null || description.isBlank()) {
            violations.add(new Violation("description", "must not be empty"));
        } else if (description.length() > MAX_DESCRIPTION) {
            violations.add(new Violation("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        if (lat == null || lat.isNaN() || lat < -90 || lat > 90) {
            violations.add(new Violation("location.lat", "must be a latitude between -90 and 90"));
        }
        if (lon == null || lon.isNaN() || lon < -180 || lon > 180) {
            violations.add(new Violation("location.lon", "must be a longitude between -180 and 180"));
        }
        if (address == null || address.isBlank()) {
            violations.add(new Violation("location.address", "must not be empty"));
        } else if (address.length() > MAX_ADDRESS) {
            violations.add(new Violation("location.address", "must be at most " + MAX_ADDRESS + " characters"));
        }
        if (start == null) {
            violations.add(new Violation("window.start", "is required"));
        }
        if (end == null) {
            violations.add(new Violation("window.end", "is required"));
        }
        if (start != null && end != null) {
            if (!end.isAfter(now)) {
                violations.add(new Violation("window.end", "must be in the future"));
            } else if (!end.isAfter(start)) {
                violations.add(new Violation("window.end", "must be after window.start"));
            } else if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
                violations.add(new Violation("window.end", "the window may last at most 7 days"));
            }
            if (Duration.between(now, start).compareTo(MAX_LEAD) > 0) {
                violations.add(new Violation("window.start", "must be within 90 days"));
            }
        }
        if (priceFen == null) {
            violations.add(new Violation("priceFen", "is required"));
        } else if (priceFen < MIN_PRICE_FEN || priceFen > MAX_PRICE_FEN) {
            violations.add(new Violation("priceFen", "must be between " + MIN_PRICE_FEN + " and " + MAX_PRICE_FEN + " fen"));
        }
        return violations;
    }
}
