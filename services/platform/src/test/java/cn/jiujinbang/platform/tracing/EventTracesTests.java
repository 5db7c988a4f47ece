package cn.jiujinbang.platform.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The traceparent an outbox row and a Kafka header carry: written and read back exactly, anything else ignored. */
class EventTracesTests {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void aSpanContextRoundTripsThroughItsTraceparent() {
        SpanContext sampled = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault());
        String traceparent = EventTraces.traceparent(sampled);
        assertEquals("00-" + TRACE + "-" + SPAN + "-01", traceparent);
        SpanContext read = EventTraces.parse(traceparent);
        assertEquals(TRACE, read.getTraceId());
        assertEquals(SPAN, read.getSpanId());
        assertTrue(read.isSampled());
        assertTrue(read.isRemote());
        assertFalse(EventTraces.parse("00-" + TRACE + "-" + SPAN + "-00").isSampled());
    }

    @Test
    void aMissingOrMalformedTraceparentIsNoParentNotAFailure() {
        assertNull(EventTraces.traceparent(SpanContext.getInvalid()));
        assertNull(EventTraces.traceparent(null));
        for (String bad : new String[] {null, "", "garbage", "01-" + TRACE + "-" + SPAN + "-01",
                "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01", "00-" + "0".repeat(32) + "-" + SPAN + "-01",
                "00-" + TRACE + "-" + "0".repeat(16) + "-01", "00-" + TRACE + "-" + SPAN + "-01-extra"}) {
            assertNull(EventTraces.parse(bad), bad);
        }
    }
}
