package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** {@code gig.order.started.v1}: the assigned worker started the job. */
public record OrderStarted(String orderId, String workerId, OffsetDateTime startedAt) {
    public OrderStarted {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(workerId, "workerId");
        EventFields.required(startedAt, "startedAt");
    }
}
