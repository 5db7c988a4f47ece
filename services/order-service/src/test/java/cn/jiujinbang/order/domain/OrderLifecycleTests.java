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
    private static final Map<String, OrderStatus> ALLOWED = Map.of(
            "POSTED+ASSIGN", ASSIGNED,
            "POSTED+UNMATCH", UNMATCHED,
            "POSTED+CANCEL", CANCELLED,
            "ASSIGNED+START", IN_PROGRESS,
            "ASSIGNED+CANCEL", CANCELLED,
            "IN_PROGRESS+FINISH", AWAITING_CONFIRMATION,
            "AWAITING_CONFIRMATION+CONFIRM", COMPLETED,
            "AWAITING_CONFIRMATION+AUTO_CONFIRM", COMPLETED,
            "COMPLETED+SETTLE", SETTLED);

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
        for (OrderStatus end : EnumSet.of(SETTLED, UNMATCHED, CANCELLED)) {
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
