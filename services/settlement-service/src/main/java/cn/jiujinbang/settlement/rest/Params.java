package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.ApiProblem;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Query and path parameters of the finance API; a bad one is a 400 naming it, an unknown id a 404. */
final class Params {

    private Params() {
    }

    static LocalDate date(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be a date as YYYY-MM-DD, not " + value);
        }
    }

    static YearMonth month(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as YYYY-MM");
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be a month as YYYY-MM, not " + value);
        }
    }

    static OffsetDateTime time(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "is required, as ISO-8601 with offset");
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an ISO-8601 time with offset, not " + value);
        }
    }

    static int year(String value, String field) {
        if (value == null || !value.matches("[0-9]{4}")) {
            throw ApiProblem.invalid(field, "is required, as YYYY");
        }
        return Integer.parseInt(value);
    }

    static UUID id(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound(what + " " + value);
        }
    }
}
