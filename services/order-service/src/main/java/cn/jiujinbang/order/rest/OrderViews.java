package cn.jiujinbang.order.rest;

import cn.jiujinbang.order.Order;
import cn.jiujinbang.order.OrderTransition;
import cn.jiujinbang.order.domain.OrderStatus;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.platform.events.Location;
import cn.jiujinbang.platform.events.TimeWindow;

import java.time.OffsetDateTime;
import java.util.List;

/** Response bodies of the order API (times are ISO-8601 with offset, amounts integer fen). */
public final class OrderViews {

    private OrderViews() {
    }

    public record OrderView(String id, String residentId, String serviceCode, String categoryCode, String description,
                            Location location, TimeWindow window, String status, String workerId, long priceFen,
                            long serviceFeeFen, long totalFen, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                            OffsetDateTime completedAt, String startCode, OffsetDateTime offersFrom, boolean autoConfirmed, DisputeView dispute) {

        /** The order as anyone allowed to read it sees it (without the start code). */
        public static OrderView of(Order o) {
            return of(o, false);
        }

        /**
         * The order as {@code role} {@code subject} sees it: its resident also sees the start code
         * while the worker is on the way (ASSIGNED), to tell them at the door.
         */
        public static OrderView seenBy(Order o, String role, String subject) {
            return of(o, Roles.RESIDENT.equals(role) && o.residentId.equals(subject) && o.status == OrderStatus.ASSIGNED);
        }

        private static OrderView of(Order o, boolean withStartCode) {
            return new OrderView(o.id.toString(), o.residentId, o.serviceCode, o.categoryCode, o.description,
                    new Location(o.lat, o.lon, o.address), new TimeWindow(o.windowStart, o.windowEnd),
                    o.status.name(), o.workerId, o.priceFen, o.serviceFeeFen, o.priceFen + o.serviceFeeFen,
                    o.createdAt, o.updatedAt, o.completedAt, withStartCode ? o.startCode : null, o.offersFrom, o.autoConfirmed,
                    o.disputeStatus == null ? null : new DisputeView(o.disputeStatus, o.disputeReason, o.disputedAt,
                            o.disputeOutcome, o.disputeRefundFen, o.disputeResolvedAt));
        }
    }

    /** The resident's dispute: OPEN, or RESOLVED with the outcome and what was refunded. */
    public record DisputeView(String status, String reason, OffsetDateTime openedAt, String outcome, Long refundFen,
                              OffsetDateTime resolvedAt) {
    }

    public record TransitionView(String from, String to, String actor, String reason, OffsetDateTime at) {

        public static TransitionView of(OrderTransition t) {
            return new TransitionView(t.fromStatus == null ? null : t.fromStatus.name(), t.toStatus.name(), t.actor,
                    t.reason, t.at);
        }
    }

    public record OrderPage(List<OrderView> items, int page, int size, long total) {
    }
}
