package cn.jiujinbang.settlement.messaging;

import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.IncomingEvent;
import cn.jiujinbang.settlement.service.SettlementService;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;

/**
 * Completed and cancelled orders, each settled once. The consumer takes what the broker has in
 * batches (up to {@code max.poll.records}) and settles each batch in one transaction.
 */
@ApplicationScoped
public class OrderEvents implements EventBatchHandler {

    private final EventInbox inbox;
    private final SettlementService settlements;

    public OrderEvents(EventInbox inbox, SettlementService settlements) {
        this.inbox = inbox;
        this.settlements = settlements;
    }

    @Incoming("order-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, this);
    }

    @Override
    public boolean handles(String type) {
        return EventTypes.ORDER_COMPLETED.equals(type) || EventTypes.ORDER_CANCELLED.equals(type);
    }

    @Override
    public Uni<Void> handle(List<IncomingEvent> events) {
        List<SettlementService.Claim> claims = new ArrayList<>(events.size());
        for (IncomingEvent e : events) {
            if (EventTypes.ORDER_COMPLETED.equals(e.type())) {
                claims.add(settlements.claim(e.data(OrderCompleted.class)));
            } else {
                settlements.claim(e.data(OrderCancelled.class)).ifPresent(claims::add);
            }
        }
        return settlements.settle(claims);
    }
}
