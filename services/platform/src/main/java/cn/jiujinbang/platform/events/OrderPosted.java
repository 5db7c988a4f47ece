package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/** {@code gig.order.posted.v1}: a resident posted a request; matching looks for workers nearby. */
public record OrderPosted(String orderId, String residentId, String serviceCode, String categoryCode,
                          Location location, TimeWindow window, long priceFen, long serviceFeeFen,
                          OffsetDateTime postedAt) {
    public OrderPosted {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(serviceCode, "serviceCode");
        Objects.requireNonNull(location, "location");
    }
}
