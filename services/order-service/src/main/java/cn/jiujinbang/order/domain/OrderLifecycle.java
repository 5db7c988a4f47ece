package cn.jiujinbang.order.domain;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static cn.jiujinbang.order.domain.OrderAction.*;
import static cn.jiujinbang.order.domain.OrderStatus.*;

/**
 * The order state machine: the only place that says which action may move an order from which
 * state. Anything not listed is illegal and is refused, never silently ignored.
 * <pre>
 * POSTED --ASSIGN--> ASSIGNED --START--> IN_PROGRESS --FINISH--> AWAITING_CONFIRMATION
 * POSTED --UNMATCH--> UNMATCHED          AWAITING_CONFIRMATION --CONFIRM|AUTO_CONFIRM--> COMPLETED
 * POSTED|ASSIGNED --CANCEL--> CANCELLED  COMPLETED --SETTLE--> SETTLED
 * POSTED|ASSIGNED --PAYMENT_REFUSED--> PAYMENT_FAILED
 * </pre>
 */
public final class OrderLifecycle {

    private static final Map<OrderStatus, Map<OrderAction, OrderStatus>> TRANSITIONS = new EnumMap<>(OrderStatus.class);

    static {
        allow(POSTED, ASSIGN, ASSIGNED);
        allow(POSTED, UNMATCH, UNMATCHED);
        allow(POSTED, CANCEL, CANCELLED);
        allow(ASSIGNED, START, IN_PROGRESS);
        allow(ASSIGNED, CANCEL, CANCELLED);
        allow(POSTED, PAYMENT_REFUSED, PAYMENT_FAILED);
        allow(ASSIGNED, PAYMENT_REFUSED, PAYMENT_FAILED);
        allow(IN_PROGRESS, FINISH, AWAITING_CONFIRMATION);
        allow(AWAITING_CONFIRMATION, CONFIRM, COMPLETED);
        allow(AWAITING_CONFIRMATION, AUTO_CONFIRM, COMPLETED);
        allow(AWAITING_CONFIRMATION, DISPUTE, COMPLETED);
        allow(COMPLETED, SETTLE, SETTLED);
    }

    private OrderLifecycle() {
    }

    private static void allow(OrderStatus from, OrderAction action, OrderStatus to) {
        TRANSITIONS.computeIfAbsent(from, s -> new EnumMap<>(OrderAction.class)).put(action, to);
    }

    /** The state after {@code action}, or empty when the action is illegal in {@code from}. */
    public static Optional<OrderStatus> next(OrderStatus from, OrderAction action) {
        return Optional.ofNullable(TRANSITIONS.getOrDefault(from, Map.of()).get(action));
    }

    /** The state after {@code action}; an illegal action throws {@link IllegalTransitionException}. */
    public static OrderStatus apply(OrderStatus from, OrderAction action) {
        return next(from, action).orElseThrow(() -> new IllegalTransitionException(from, action));
    }
}
