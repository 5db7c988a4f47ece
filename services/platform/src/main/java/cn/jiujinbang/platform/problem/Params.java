package cn.jiujinbang.platform.problem;


import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Query and path parameters (days, months, times, years, ids), read once for every service: a bad one is a 400 naming it, an unknown id a 404. */
public final class Params {

    /** Dates the platform can mean: a year outside these is a typo or an attack, never a business day. */
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2099;

    private Params() {
    }

    private static <T> T inRange(T value, int year, String field, String raw) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw ApiProblem.invalid(field, "must lie in the years " + FIRST_YEAR + " to " + LAST_YEAR + ", not " + raw);
        }
        return value;
    }

    public static LocalDate date(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as YYYY-MM-DD");
        }
        try {
            LocalDate date = LocalDate.parse(value);
            return inRange(date, date.getYear(), field, value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be a date as YYYY-MM-DD, not " + value);
        }
    }

    public static YearMonth month(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as YYYY-MM");
        }
        try {
            YearMonth month = YearMonth.parse(value);
            return inRange(month, month.getYear(), field, value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be a month as YYYY-MM, not " + value);
        }
    }

    public static OffsetDateTime time(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as ISO-8601 with offset");
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value);
            return inRange(time, time.getYear(), field, value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an ISO-8601 time with offset, not " + value);
        }
    }

    public static int year(String value, String field) {
        if (value == null || !value.matches("[0-9]{4}")) {
            throw ApiProblem.invalid(field, "is required, as YYYY");
        }
        return inRange(Integer.parseInt(value), Integer.parseInt(value), field, value);
    }

    public static UUID id(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound(what + " " + value);
        }
    }
}
