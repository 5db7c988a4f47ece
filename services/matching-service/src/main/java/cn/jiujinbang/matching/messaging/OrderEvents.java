package cn.jiujinbang.matching.messaging;

import cn.jiujinbang.matching.service.MatchingService;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.messaging.EventHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;

/** Order events that start, stop or end a matching; each takes effect once. */
@ApplicationScoped
public class OrderEvents {

    private final EventInbox inbox;
    private final Map<String, EventHandler> handlers;

    public OrderEvents(EventInbox inbox, MatchingService matching) {
        this.inbox = inbox;
        this.handlers = Map.of(
                EventTypes.ORDER_POSTED, e -> matching.onPosted(e.data(OrderPosted.class)),
                EventTypes.ORDER_CANCELLED, e -> matching.onCancelled(e.data(OrderCancelled.class)),
                EventTypes.ORDER_COMPLETED, e -> matching.onCompleted(e.data(OrderCompleted.class)));
    }

    @Incoming("order-events")
    public Uni<Void> consume(Message<String> message) {
        return inbox.deliver(message, handlers);
    }
}
