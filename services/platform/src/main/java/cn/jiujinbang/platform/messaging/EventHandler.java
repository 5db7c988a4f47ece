package cn.jiujinbang.platform.messaging;

import io.smallrye.mutiny.Uni;

/** The effect of one event type; runs inside the transaction that records the event in the inbox. */
@FunctionalInterface
public interface EventHandler {
    Uni<Void> handle(IncomingEvent event);
}
