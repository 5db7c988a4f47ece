package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** {@code gig.order.posted.v1}: a resident posted a request; matching looks for workers nearby. */
public record OrderPosted(String orderId, String residentId, String serviceCode, String categoryCode,
                          Location location, TimeWindow window, long priceFen, long serviceFeeFen,
                          OffsetDateTime postedAt) {
    public OrderPosted {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(serviceCode, "serviceCode");
        EventFields.required(location, "location");
        EventFields.positive(priceFen, "priceFen");
        EventFields.notNegative(serviceFeeFen, "serviceFeeFen");
        EventFields.required(postedAt, "postedAt");
    }
}
