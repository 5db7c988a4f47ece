package cn.jiujinbang.order.messaging;

import cn.jiujinbang.order.service.OrderService;
import cn.jiujinbang.platform.events.DisputeResolved;
import cn.jiujinbang.platform.events.MatchAssigned;
import cn.jiujinbang.platform.events.MatchUnmatched;
import cn.jiujinbang.platform.events.PaymentFailed;
import cn.jiujinbang.platform.events.SettlementSettled;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.UUID;

/** Matching's and settlement's decisions about our orders, each taking effect once. */
@ApplicationScoped
public class DecisionEvents {

    private final EventInbox inbox;
    private final Map<String, EventHandler> handlers;
    private final EventBatchHandler settledInBursts;

    public DecisionEvents(EventInbox inbox, OrderService orders) {
        this.inbox = inbox;
        this.handlers = Map.of(
                EventTypes.MATCH_ASSIGNED, e -> {
                    MatchAssigned assigned = e.data(MatchAssigned.class);
                    return orders.assign(UUID.fromString(assigned.orderId()), assigned.workerId());
                },
                EventTypes.MATCH_UNMATCHED, e -> {
                    MatchUnmatched unmatched = e.data(MatchUnmatched.class);
                    return orders.unmatched(UUID.fromString(unmatched.orderId()), unmatched.reason());
                });
        this.settledInBursts = EventBatchHandler.inOrder(Map.of(EventTypes.PAYMENT_FAILED, e -> {
            PaymentFailed failed = e.data(PaymentFailed.class);
            return orders.paymentFailed(UUID.fromString(failed.orderId()), failed.reason());
        }, EventTypes.DISPUTE_RESOLVED, e -> orders.disputeResolved(e.data(DisputeResolved.class))), Map.of(EventTypes.SETTLEMENT_SETTLED,
                settled -> orders.settled(settled.stream()
                        .map(e -> UUID.fromString(e.data(SettlementSettled.class).orderId())).toList())));
    }

    @Incoming("matching-events")
    public Uni<Void> fromMatching(Message<String> message) {
        return inbox.deliver(message, handlers);
    }

    /** Settled orders come in bursts (a settlement batch at a time): one transaction per poll; refused payments one by one. */
    @Incoming("settlement-events")
    public Uni<Void> fromSettlement(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, settledInBursts);
    }
}
