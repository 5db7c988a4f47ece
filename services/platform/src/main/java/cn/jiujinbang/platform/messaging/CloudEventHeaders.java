package cn.jiujinbang.platform.messaging;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel as ce_* headers. */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";
    /** W3C Trace Context, as OpenTelemetry's propagator reads it from any Kafka record. */
    public static final String TRACEPARENT = "traceparent";
    /** The same, as the CloudEvents Distributed Tracing extension attribute in binary mode. */
    public static final String CE_TRACEPARENT = "ce_traceparent";

    private CloudEventHeaders() {
    }

    public static void write(Headers headers, String id, String type, String source, OffsetDateTime time) {
        put(headers, SPEC_VERSION, "1.0");
        put(headers, ID, id);
        put(headers, TYPE, type);
        put(headers, SOURCE, source);
        put(headers, TIME, time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        put(headers, CONTENT_TYPE, "application/json");
    }

    /** The trace the event continues (both the W3C header and the CloudEvents extension). */
    public static void writeTrace(Headers headers, String traceparent) {
        put(headers, TRACEPARENT, traceparent);
        put(headers, CE_TRACEPARENT, traceparent);
    }

    /** The trace an event continues: the W3C header, else the CloudEvents extension, else null. */
    public static String readTrace(Headers headers) {
        String traceparent = read(headers, TRACEPARENT);
        return traceparent != null ? traceparent : read(headers, CE_TRACEPARENT);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The header's value as text, or null when it is absent. */
    public static String read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
