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

    public record Cancel(String reason) {
    }
}
