package cn.jiujinbang.order.domain;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static cn.jiujinbang.order.domain.OrderAction.*;
import static cn.jiujinbang.order.domain.OrderStatus.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderLifecycleTests {

    /** The lifecycle of DESIGN.md, written out independently of the implementation's table. */
    private static final Map<String, OrderStatus> ALLOWED = Map.ofEntries(
            Map.entry("POSTED+PAYMENT_REFUSED", PAYMENT_FAILED),
            Map.entry("ASSIGNED+PAYMENT_REFUSED", PAYMENT_FAILED),
            Map.entry("POSTED+ASSIGN", ASSIGNED),
            Map.entry("POSTED+UNMATCH", UNMATCHED),
            Map.entry("POSTED+CANCEL", CANCELLED),
            Map.entry("ASSIGNED+START", IN_PROGRESS),
            Map.entry("ASSIGNED+CANCEL", CANCELLED),
            Map.entry("IN_PROGRESS+FINISH", AWAITING_CONFIRMATION),
            Map.entry("AWAITING_CONFIRMATION+CONFIRM", COMPLETED),
            Map.entry("AWAITING_CONFIRMATION+AUTO_CONFIRM", COMPLETED),
            Map.entry("AWAITING_CONFIRMATION+DISPUTE", COMPLETED), // disputed: the money is booked, the pay held
            Map.entry("COMPLETED+SETTLE", SETTLED));

    @Test
    void allowsExactlyTheDrawnTransitions() {
        int allowed = 0;
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderAction action : OrderAction.values()) {
                OrderStatus expected = ALLOWED.get(from + "+" + action);
                if (expected != null) {
                    assertEquals(expected, OrderLifecycle.apply(from, action), from + " " + action);
                    allowed++;
                } else {
                    assertThrows(IllegalTransitionException.class, () -> OrderLifecycle.apply(from, action),
                            from + " " + action + " must be refused");
                    assertTrue(OrderLifecycle.next(from, action).isEmpty());
                }
            }
        }
        assertEquals(ALLOWED.size(), allowed);
    }

    @Test
    void finalStatesAllowNothing() {
        for (OrderStatus end : EnumSet.of(SETTLED, UNMATCHED, CANCELLED, PAYMENT_FAILED)) {
            assertTrue(end.isFinal());
            for (OrderAction action : OrderAction.values()) {
                assertTrue(OrderLifecycle.next(end, action).isEmpty(), end + " " + action);
            }
        }
    }

    @Test
    void refusesCancelOnceWorkHasStarted() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> OrderLifecycle.apply(IN_PROGRESS, CANCEL));
        assertEquals("an order that is IN_PROGRESS cannot cancel", e.getMessage());
    }
}
