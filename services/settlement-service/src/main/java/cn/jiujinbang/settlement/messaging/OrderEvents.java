package cn.jiujinbang.settlement.messaging;

import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.OrderDisputed;
import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.IncomingEvent;
import cn.jiujinbang.settlement.payments.Escrow;
import cn.jiujinbang.settlement.service.Disputes;
import cn.jiujinbang.settlement.service.SettlementService;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Posted orders (their escrow holds), completed and cancelled orders, each settled once. The consumer takes what the broker has in
 * batches (up to {@code max.poll.records}) and settles each batch in one transaction.
 */
@ApplicationScoped
public class OrderEvents implements EventBatchHandler {

    private final EventInbox inbox;
    private final SettlementService settlements;
    private final Escrow escrow;
    private final Clock clock;

    private final Disputes disputes;

    public OrderEvents(EventInbox inbox, SettlementService settlements, Escrow escrow, Clock clock, Disputes disputes) {
        this.disputes = disputes;
        this.inbox = inbox;
        this.settlements = settlements;
        this.escrow = escrow;
        this.clock = clock;
    }

    @Incoming("order-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, this);
    }

    @Override
    public boolean handles(String type) {
        return EventTypes.ORDER_POSTED.equals(type) || EventTypes.ORDER_COMPLETED.equals(type)
                || EventTypes.ORDER_CANCELLED.equals(type) || EventTypes.ORDER_DISPUTED.equals(type);
    }

    /**
     * Posted orders get their holds asked for first, then completed and compensated orders are
     * settled (capturing their holds), then the holds of orders cancelled with nothing to collect are
     * released. Within one order that is the order its events come in.
     */
    @Override
    public Uni<Void> handle(List<IncomingEvent> events) {
        List<OrderPosted> posted = new ArrayList<>();
        List<SettlementService.Claim> claims = new ArrayList<>(events.size());
        List<String> released = new ArrayList<>();
        List<OrderDisputed> disputed = new ArrayList<>();
        for (IncomingEvent e : events) {
            if (EventTypes.ORDER_DISPUTED.equals(e.type())) {
                disputed.add(e.data(OrderDisputed.class));
            } else if (EventTypes.ORDER_POSTED.equals(e.type())) {
                posted.add(e.data(OrderPosted.class));
            } else if (EventTypes.ORDER_COMPLETED.equals(e.type())) {
                claims.add(settlements.claim(e.data(OrderCompleted.class)));
            } else {
                OrderCancelled cancelled = e.data(OrderCancelled.class);
                settlements.claim(cancelled).ifPresentOrElse(claims::add, () -> released.add(cancelled.orderId()));
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return escrow.hold(posted, now)
                .chain(() -> settlements.settle(claims))
                .chain(() -> escrow.release(released, now))
                .chain(() -> disputes.opened(disputed)); // after the settlements: a dispute follows its order's completion
    }
}
