package cn.jiujinbang.platform.messaging;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/**
 * The effect of a batch of events, run inside the one transaction that records them in the inbox
 * ({@link EventInbox#deliverBatch}). It receives only events delivered for the first time, in the
 * order the consumer read them, and only of the types it {@link #handles}.
 */
public interface EventBatchHandler {

    boolean handles(String type);

    Uni<Void> handle(List<IncomingEvent> events);

    /** Each event's own handler, one after the other, in the batch's transaction. */
    static EventBatchHandler oneByOne(Map<String, EventHandler> handlers) {
        return new EventBatchHandler() {
            @Override
            public boolean handles(String type) {
                return handlers.containsKey(type);
            }

            @Override
            public Uni<Void> handle(List<IncomingEvent> events) {
                Uni<Void> done = Uni.createFrom().voidItem();
                for (IncomingEvent event : events) {
                    done = done.chain(() -> handlers.get(event.type()).handle(event));
                }
                return done;
            }
        };
    }
}
