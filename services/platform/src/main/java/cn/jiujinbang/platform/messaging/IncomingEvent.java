package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.OffsetDateTime;

/**
 * A CloudEvent read from Kafka: its attributes, its key (the order id), its JSON data, and where it
 * came from: its topic and the W3C {@code traceparent} of the span that published it (null without one).
 */
public record IncomingEvent(String id, String type, String source, OffsetDateTime time, String key, JsonNode data,
                            ObjectMapper json, String topic, String traceparent) {

    public IncomingEvent(String id, String type, String source, OffsetDateTime time, String key, JsonNode data,
                         ObjectMapper json) {
        this(id, type, source, time, key, data, json, null, null);
    }

    /** The data bound to the event's record type; data that does not fit is poison. */
    public <T> T data(Class<T> type) {
        try {
            T value = json.treeToValue(data, type);
            if (value == null) {
                throw new PoisonEventException(this.type + " has no data");
            }
            return value;
        } catch (PoisonEventException e) {
            throw e;
        } catch (Exception e) {
            throw new PoisonEventException(this.type + " data does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
