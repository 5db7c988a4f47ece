package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/** {@code gig.order.started.v1}: the assigned worker started the job. */
public record OrderStarted(String orderId, String workerId, OffsetDateTime startedAt) {
    public OrderStarted {
        Objects.requireNonNull(orderId, "orderId");
    }
}
