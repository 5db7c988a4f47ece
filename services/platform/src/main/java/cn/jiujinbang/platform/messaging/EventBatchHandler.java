package cn.jiujinbang.platform.messaging;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
        return inOrder(handlers, Map.of());
    }

    /**
     * In the batch's order: a run of consecutive events of a type in {@code together} is handled by
     * one call with the whole run (one statement for many events, e.g. a burst of settled orders);
     * every other event by its own handler in {@code oneByOne}.
     */
    static EventBatchHandler inOrder(Map<String, EventHandler> oneByOne,
                                     Map<String, Function<List<IncomingEvent>, Uni<Void>>> together) {
        return new EventBatchHandler() {
            @Override
            public boolean handles(String type) {
                return oneByOne.containsKey(type) || together.containsKey(type);
            }

            @Override
            public Uni<Void> handle(List<IncomingEvent> events) {
                Uni<Void> done = Uni.createFrom().voidItem();
                int i = 0;
                while (i < events.size()) {
                    IncomingEvent event = events.get(i);
                    Function<List<IncomingEvent>, Uni<Void>> run = together.get(event.type());
                    if (run == null) {
                        done = done.chain(() -> oneByOne.get(event.type()).handle(event));
                        i++;
                        continue;
                    }
                    int end = i;
                    while (end < events.size() && events.get(end).type().equals(event.type())) {
                        end++;
                    }
                    List<IncomingEvent> sameType = List.copyOf(events.subList(i, end));
                    done = done.chain(() -> run.apply(sameType));
                    i = end;
                }
                return done;
            }
        };
    }
}
