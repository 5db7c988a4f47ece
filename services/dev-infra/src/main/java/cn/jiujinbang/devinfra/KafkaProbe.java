package cn.jiujinbang.devinfra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Tests' view of the real broker: put events on a topic as another service would, and read topics. */
public final class KafkaProbe {

    private final Map<String, Object> client;

    /** A probe signed in with {@code client} (bootstrap servers and, on a secured broker, its SASL login). */
    public KafkaProbe(Map<String, Object> client) {
        this.client = Map.copyOf(client);
    }

    /** The tests' probe: the broker's administrator, who may read and write every topic. */
    public static KafkaProbe forTests() {
        return new KafkaProbe(TestInfrastructure.shared().kafkaAdmin());
    }

    private Map<String, Object> with(Object... settings) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        for (int i = 0; i < settings.length; i += 2) {
            config.put((String) settings[i], settings[i + 1]);
        }
        return config;
    }

    /** Publishes a CloudEvent (binary mode) and returns its id. */
    public String publish(String topic, String key, String type, String json) {
        String id = UUID.randomUUID().toString();
        publish(topic, key, id, type, json);
        return id;
    }

    /** Publishes a CloudEvent with the given id (a redelivery reuses the id); returns where it landed. */
    public RecordMetadata publish(String topic, String key, String eventId, String type, String json) {
        return send(cloudEvent(topic, key, eventId, type, json));
    }

    /** Publishes a burst of CloudEvents of one type through one producer: each entry is a key and its JSON data. */
    public void publishAll(String topic, String type, List<Map.Entry<String, String>> keyedJson) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(with(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> event : keyedJson) {
                producer.send(cloudEvent(topic, event.getKey(), UUID.randomUUID().toString(), type, event.getValue()));
            }
            producer.flush();
        }
    }

    private static ProducerRecord<String, String> cloudEvent(String topic, String key, String eventId, String type, String json) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", eventId);
        header(record, "ce_type", type);
        header(record, "ce_source", "/gig/test");
        header(record, "ce_time", OffsetDateTime.now(ZoneOffset.UTC).toString());
        header(record, "content-type", "application/json");
        return record;
    }

    /** Publishes a record exactly as given (for poison messages: no headers, broken JSON, ...). */
    public RecordMetadata publishRaw(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> header(record, name, v));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<String, String> record) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(with(
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + record.topic(), e);
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Every record of the topic (from the beginning) that matches, waiting until {@code expected} are there. */
    public List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                      int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(with(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline) && found.size() < expected) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Records of the topic with this key, waiting until {@code expected} are there (or the timeout). */
    public List<ConsumerRecord<String, String>> awaitKey(String topic, String key, int expected, Duration timeout) {
        return await(topic, r -> key.equals(r.key()), expected, timeout);
    }

    /**
     * Waits until the consumer group has committed past {@code record}: the consumer has processed it
     * (and everything before it on that partition). True if it did within the timeout.
     */
    public boolean awaitConsumed(String groupId, RecordMetadata record, Duration timeout) throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(client)) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata().get().get(partition);
                    if (committed != null && committed.offset() > record.offset()) {
                        return true;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // the group may not exist yet
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
