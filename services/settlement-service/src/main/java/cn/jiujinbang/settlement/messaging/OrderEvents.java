package cn.jiujinbang.settlement.messaging;

import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.messaging.EventHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.settlement.service.SettlementService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;

/** Completed and cancelled orders, each settled once. */
@ApplicationScoped
public class OrderEvents {

    private final EventInbox inbox;
    private final Map<String, EventHandler> handlers;

    public OrderEvents(EventInbox inbox, SettlementService settlements) {
        this.inbox = inbox;
        this.handlers = Map.of(
                EventTypes.ORDER_COMPLETED, e -> settlements.onCompleted(e.data(OrderCompleted.class)),
                EventTypes.ORDER_CANCELLED, e -> settlements.onCancelled(e.data(OrderCancelled.class)));
    }

    @Incoming("order-events")
    public Uni<Void> consume(Message<String> message) {
        return inbox.deliver(message, handlers);
    }
}
