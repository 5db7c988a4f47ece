package cn.jiujinbang.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.regex.Pattern;

/**
 * One trace per order's life, across HTTP, the outbox, Kafka and the consumers (docs/operations.md,
 * "Traces"). The trace context travels as a W3C {@code traceparent}: stored with each outbox row,
 * sent as the {@code traceparent} (and CloudEvents {@code ce_traceparent}) header by the relay's
 * PRODUCER span, continued by the consumer's CONSUMER span. Each service remembers the latest
 * context of every order it handled ({@code trace_context}), so an action that comes later by HTTP
 * (accept, start, confirm) or from a background job (a hold the channel answered) continues the
 * order's trace rather than starting one of its own. With the OpenTelemetry SDK off (the default:
 * {@code quarkus.otel.sdk.disabled=true}) spans are no-ops and nothing is stored or sent.
 */
@ApplicationScoped
public class EventTraces {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private final Tracer tracer;

    public EventTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The current span's context as a traceparent (an HTTP request's server span), or null. */
    public static String current() {
        return traceparent(Span.current().getSpanContext());
    }

    public static String traceparent(SpanContext context) {
        if (context == null || !context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The remote parent a traceparent names; null when it is absent or malformed (a trace is never worth refusing an event). */
    public static SpanContext parse(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.strip());
        if (!m.matches()) {
            return null;
        }
        SpanContext context = SpanContext.createFromRemoteParent(m.group(1), m.group(2),
                TraceFlags.fromHex(m.group(3), 0), TraceState.getDefault());
        return context.isValid() ? context : null;
    }

    /** A span of a hop: publishing an event (PRODUCER) or applying it (CONSUMER), child of {@code parent}. */
    public Span start(String name, SpanKind kind, String parent, String topic, String eventId, String orderId) {
        SpanContext remote = parse(parent);
        if (remote == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setSpanKind(kind)
                .setParent(Context.root().with(Span.wrap(remote)))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic == null ? "" : topic)
                .setAttribute("messaging.message.id", eventId)
                .setAttribute("gig.order.id", orderId == null ? "" : orderId)
                .startSpan();
    }
}
