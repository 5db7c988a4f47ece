package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventBatchHandlerTests {

    private final List<String> calls = new ArrayList<>();

    private static IncomingEvent event(String id, String type) {
        return new IncomingEvent(id, type, "/test", OffsetDateTime.now(), id, null, new ObjectMapper());
    }

    private Uni<Void> one(IncomingEvent e) {
        calls.add(e.id());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> run(List<IncomingEvent> events) {
        calls.add(String.join("+", events.stream().map(IncomingEvent::id).toList()));
        return Uni.createFrom().voidItem();
    }

    @Test
    void consecutiveEventsOfABulkTypeAreHandledTogetherAndTheBatchKeepsItsOrder() {
        EventBatchHandler handler = EventBatchHandler.inOrder(Map.of("posted", this::one, "cancelled", this::one),
                Map.of("completed", this::run));
        handler.handle(List.of(event("p1", "posted"), event("c1", "completed"), event("c2", "completed"),
                event("x1", "cancelled"), event("c3", "completed"))).await().indefinitely();
        assertEquals(List.of("p1", "c1+c2", "x1", "c3"), calls);
    }

    @Test
    void oneByOneCallsEachHandlerInOrderAndHandlesOnlyItsTypes() {
        EventBatchHandler handler = EventBatchHandler.oneByOne(Map.of("posted", this::one));
        assertTrue(handler.handles("posted"));
        assertFalse(handler.handles("completed"));
        handler.handle(List.of(event("p1", "posted"), event("p2", "posted"))).await().indefinitely();
        assertEquals(List.of("p1", "p2"), calls);
    }
}
