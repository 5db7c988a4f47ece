package cn.jiujinbang.matching.messaging;

import cn.jiujinbang.matching.service.MatchingService;
import cn.jiujinbang.matching.service.WorkerService;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.events.OrderRated;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;

/** Order events that start, stop or end a matching; each takes effect once. */
@ApplicationScoped
public class OrderEvents {

    private final EventInbox inbox;
    private final EventBatchHandler handlers;

    public OrderEvents(EventInbox inbox, MatchingService matching, WorkerService workers) {
        this.inbox = inbox;
        this.handlers = EventBatchHandler.inOrder(Map.of(
                        EventTypes.ORDER_POSTED, e -> matching.onPosted(e.data(OrderPosted.class)),
                        EventTypes.ORDER_CANCELLED, e -> matching.onCancelled(e.data(OrderCancelled.class)),
                        EventTypes.ORDER_RATED, e -> workers.onRated(e.data(OrderRated.class)),
                        EventTypes.ORDER_RATING_WITHDRAWN, e -> workers.onRatingWithdrawn(
                                e.data(cn.jiujinbang.platform.events.RatingWithdrawn.class))),
                Map.of(EventTypes.ORDER_COMPLETED, completed -> matching.onCompleted(completed.stream()
                        .map(e -> e.data(OrderCompleted.class)).toList())));
    }

    /** What the broker has, in one transaction per poll (a burst of completed orders costs one commit per batch). */
    @Incoming("order-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, handlers);
    }
}
