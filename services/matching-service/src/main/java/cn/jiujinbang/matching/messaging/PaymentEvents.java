package cn.jiujinbang.matching.messaging;

import cn.jiujinbang.matching.service.MatchingService;
import cn.jiujinbang.platform.events.PaymentFailed;
import cn.jiujinbang.platform.events.PaymentHeld;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;

/** Settlement's answers about residents' payments: an order is offered once its payment is held. */
@ApplicationScoped
public class PaymentEvents {

    private final EventInbox inbox;
    private final EventBatchHandler handlers;

    public PaymentEvents(EventInbox inbox, MatchingService matching) {
        this.inbox = inbox;
        this.handlers = EventBatchHandler.oneByOne(Map.of(
                EventTypes.PAYMENT_HELD, e -> matching.onPaymentHeld(e.data(PaymentHeld.class)),
                EventTypes.PAYMENT_FAILED, e -> matching.onPaymentFailed(e.data(PaymentFailed.class))));
    }

    @Incoming("payment-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, handlers);
    }
}
