package cn.jiujinbang.ops;

import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** make dlq / replay-dlq / dlq-done against the real broker. */
class DeadLettersTests {

    private static final String DLQ = "gig.dlq.matching-service";
    private final KafkaProbe kafka = KafkaProbe.forTests();
    private final DeadLetters deadLetters = new DeadLetters(TestInfrastructure.shared().kafkaAdmin());

    @Test
    void pendingDeadLettersAreListedWithTheirReasonReplayedToTheirTopicOnceOrDropped() {
        deadLetters.markDone(DLQ);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        kafka.publishRaw(DLQ, first, "{\"orderId\":\"" + first + "\"}", deadLetter(first, "orderId is not a UUID"));
        kafka.publishRaw(DLQ, second, "{\"orderId\":\"" + second + "\"}", deadLetter(second, "unknown event type"));

        List<DeadLetters.DeadLetter> pending = deadLetters.pending(DLQ);
        assertEquals(List.of(first, second), pending.stream().map(DeadLetters.DeadLetter::key).toList());
        assertEquals("orderId is not a UUID", pending.get(0).reason());
        assertEquals("gig.orders", pending.get(0).originalTopic());
        assertEquals(pending, deadLetters.pending(DLQ), "listing changes nothing");

        assertEquals(2, deadLetters.replay(DLQ));
        assertEquals(List.of(), deadLetters.pending(DLQ), "replayed letters are dealt with");
        assertEquals(0, deadLetters.replay(DLQ), "replaying again republishes nothing");
        List<ConsumerRecord<String, String>> replayed = kafka.awaitKey("gig.orders", first, 2, Duration.ofSeconds(5));
        assertEquals(1, replayed.size(), "replayed once");
        ConsumerRecord<String, String> record = replayed.get(0);
        assertEquals("{\"orderId\":\"" + first + "\"}", record.value());
        assertEquals("event-" + first, KafkaProbe.header(record, "ce_id"), "the event keeps its id, so inboxes see a repeat");
        assertEquals("gig.order.cancelled.v1", KafkaProbe.header(record, "ce_type"));
        assertNull(KafkaProbe.header(record, "dead-letter-reason"));
        assertNull(KafkaProbe.header(record, "dead-letter-topic"));

        String third = UUID.randomUUID().toString();
        kafka.publishRaw(DLQ, third, "{}", deadLetter(third, "not valid JSON"));
        assertEquals(1, deadLetters.markDone(DLQ));
        assertEquals(List.of(), deadLetters.pending(DLQ));
        assertTrue(kafka.awaitKey("gig.orders", third, 1, Duration.ofSeconds(2)).isEmpty(), "a dropped letter is not replayed");
    }

    private static Map<String, String> deadLetter(String key, String reason) {
        return Map.of("ce_id", "event-" + key, "ce_type", "gig.order.cancelled.v1", "ce_source", "/gig/order-service",
                "ce_time", "2026-11-30T08:00:00Z", "ce_specversion", "1.0",
                "dead-letter-reason", reason, "dead-letter-topic", "gig.orders",
                "dead-letter-partition", "0", "dead-letter-offset", "7");
    }
}
