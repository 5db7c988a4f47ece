package cn.jiujinbang.order.domain;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

class DisputeRulesTests {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    @Test
    void workAwaitingConfirmationCanBeDisputedOnce() {
        assertTrue(DisputeRules.refusal(OrderStatus.AWAITING_CONFIRMATION, false, null, null, NOW).isEmpty());
        assertTrue(DisputeRules.refusal(OrderStatus.AWAITING_CONFIRMATION, false, null, "OPEN", NOW).isPresent());
        assertTrue(DisputeRules.refusal(OrderStatus.COMPLETED, true, NOW.minusHours(1), "RESOLVED", NOW).isPresent());
    }

    @Test
    void anAutomaticConfirmationLeaves72HoursASelfConfirmationNone() {
        assertTrue(DisputeRules.refusal(OrderStatus.COMPLETED, true, NOW.minusHours(71).minusMinutes(59), null, NOW).isEmpty());
        assertTrue(DisputeRules.refusal(OrderStatus.SETTLED, true, NOW.minusHours(71), null, NOW).isEmpty());
        assertTrue(DisputeRules.refusal(OrderStatus.SETTLED, true, NOW.minusHours(72), null, NOW).isPresent());
        assertTrue(DisputeRules.refusal(OrderStatus.COMPLETED, false, NOW.minusMinutes(5), null, NOW).orElseThrow().contains("yourself"));
    }

    @Test
    void unfinishedWorkCannotBeDisputed() {
        for (OrderStatus s : new OrderStatus[]{OrderStatus.POSTED, OrderStatus.ASSIGNED, OrderStatus.IN_PROGRESS,
                OrderStatus.CANCELLED, OrderStatus.UNMATCHED, OrderStatus.PAYMENT_FAILED}) {
            assertTrue(DisputeRules.refusal(s, false, null, null, NOW).isPresent(), s.name());
        }
    }
}
