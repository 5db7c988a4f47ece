package cn.jiujinbang.order.rest;

import java.time.OffsetDateTime;

/** Request bodies of the order API. Fields are checked by the posting rules, not by annotations. */
public final class OrderRequests {

    private OrderRequests() {
    }

    public record PostOrder(String serviceCode, String description, LocationBody location, WindowBody window,
                            Long priceFen) {
    }

    public record LocationBody(Double lat, Double lon, String address) {
    }

    public record WindowBody(OffsetDateTime start, OffsetDateTime end) {
    }

    /** A rating: 1 to 5 stars, an optional comment. */
    public record Rate(Integer stars, String comment) {
    }

    public record Cancel(String reason) {
    }

    /** Reporting a rating as abusive: why. */
    public record Report(String reason) {
    }

    /** Disputing the work: what went wrong (1 to 500 characters). */
    public record Dispute(String reason) {
    }

    /** Starting the job: the four digits the resident's app shows. */
    public record Start(String code) {
    }
}
