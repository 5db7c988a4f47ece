package cn.jiujinbang.ops;

import cn.jiujinbang.devinfra.KafkaAccess;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code make dlq}, {@code make replay-dlq} and {@code make dlq-done}: the dead letters an operator
 * has not dealt with yet, per consuming service. "Dealt with" is the committed position of the
 * consumer group {@value #GROUP} on each dead-letter topic, so the topics themselves stay as
 * they are (an audit of what went wrong) and each step can be repeated safely.
 * <ul>
 *   <li>{@code list}: every pending dead letter with its reason, original topic, key, CloudEvents
 *       headers and payload;</li>
 *   <li>{@code replay}: publishes every pending one back to its original topic with its key and
 *       CloudEvents headers (the dead-letter headers dropped) and marks them dealt with. Safe to
 *       repeat: consumers record {@code ce_id} in their inbox. One that still cannot be processed
 *       comes back to the dead-letter topic with its reason;</li>
 *   <li>{@code done}: marks every pending one dealt with without replaying (after deciding to drop them).</li>
 * </ul>
 */
public final class DeadLetters {

    public static final String GROUP = "gig-dlq-operator";
    public static final List<String> TOPICS = List.of("gig.dlq.order-service", "gig.dlq.matching-service",
            "gig.dlq.settlement-service");
    private static final String DEAD_LETTER_PREFIX = "dead-letter-";

    /** One record on a dead-letter topic. */
    public record DeadLetter(String deadLetterTopic, int partition, long offset, String key, String value,
                             Map<String, String> headers) {

        public String reason() {
            return headers.getOrDefault("dead-letter-reason", "(no reason recorded)");
        }

        public String originalTopic() {
            return headers.get("dead-letter-topic");
        }

        public String eventId() {
            return headers.get("ce_id");
        }
    }

    private final Map<String, Object> client;

    /** Dead letters read and replayed as the client {@code client} signs in (the operator: admin). */
    public DeadLetters(Map<String, Object> client) {
        this.client = Map.copyOf(client);
    }

    private Map<String, Object> with(Map<String, Object> settings) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(settings);
        return config;
    }

    /** The dead letters of one topic not dealt with yet, oldest first per partition. */
    public List<DeadLetter> pending(String deadLetterTopic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            return read(consumer, deadLetterTopic).letters();
        }
    }

    /** Replays every pending dead letter of the topic to its original topic; returns how many. */
    public int replay(String deadLetterTopic) {
        try (KafkaConsumer<String, String> consumer = consumer();
             KafkaProducer<String, String> producer = new KafkaProducer<>(with(Map.of(
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new StringSerializer())) {
            Pending pending = read(consumer, deadLetterTopic);
            int replayed = 0;
            for (DeadLetter letter : pending.letters()) {
                if (letter.originalTopic() == null) {
                    throw new IllegalStateException("dead letter " + deadLetterTopic + "/" + letter.partition() + "@"
                            + letter.offset() + " names no original topic; deal with it by hand, then run dlq-done");
                }
                ProducerRecord<String, String> record = new ProducerRecord<>(letter.originalTopic(), letter.key(), letter.value());
                letter.headers().forEach((name, value) -> {
                    if (!name.startsWith(DEAD_LETTER_PREFIX)) {
                        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
                    }
                });
                try {
                    producer.send(record).get();
                } catch (Exception e) {
                    throw new IllegalStateException("could not replay to " + letter.originalTopic() + "; nothing after "
                            + deadLetterTopic + "/" + letter.partition() + "@" + letter.offset() + " was marked dealt with", e);
                }
                consumer.commitSync(Map.of(new TopicPartition(deadLetterTopic, letter.partition()),
                        new OffsetAndMetadata(letter.offset() + 1)));
                replayed++;
            }
            return replayed;
        }
    }

    /** Marks every pending dead letter of the topic dealt with, without replaying; returns how many. */
    public int markDone(String deadLetterTopic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Pending pending = read(consumer, deadLetterTopic);
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            pending.ends().forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end)));
            consumer.commitSync(ends);
            return pending.letters().size();
        }
    }

    private record Pending(List<DeadLetter> letters, Map<TopicPartition, Long> ends) {
    }

    private Pending read(KafkaConsumer<String, String> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            consumer.seek(partition, Math.max(begins.get(partition), done == null ? 0 : done.offset()));
        }
        List<DeadLetter> letters = new ArrayList<>();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(partition)) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
                    }
                    letters.add(new DeadLetter(topic, record.partition(), record.offset(), record.key(), record.value(), headers));
                }
            }
        }
        return new Pending(letters, ends);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(with(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)),
                new StringDeserializer(), new StringDeserializer());
    }

    /** {@code list|replay|done [service]}, against the broker of {@link KafkaAccess#fromEnvironment} (default the local one). */
    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "list";
        String service = args.length > 1 && !args[1].isBlank() ? args[1] : null;
        DeadLetters dlq = new DeadLetters(KafkaAccess.fromEnvironment());
        List<String> topics = service == null ? TOPICS : List.of("gig.dlq." + service);
        PrintStream out = System.out;
        for (String topic : topics) {
            switch (command) {
                case "list" -> {
                    List<DeadLetter> letters = dlq.pending(topic);
                    out.printf("%s: %d pending%n", topic, letters.size());
                    for (DeadLetter l : letters) {
                        out.printf("  @%d/%d  %s  from %s  key %s%n    reason: %s%n    headers: %s%n    data: %s%n",
                                l.partition(), l.offset(), l.headers().getOrDefault("ce_type", "(no type)"),
                                l.originalTopic(), l.key(), l.reason(), l.headers(), l.value());
                    }
                }
                case "replay" -> out.printf("%s: replayed %d%n", topic, dlq.replay(topic));
                case "done" -> out.printf("%s: marked %d dealt with, not replayed%n", topic, dlq.markDone(topic));
                default -> {
                    System.err.println("usage: DeadLetters list|replay|done [order-service|matching-service|settlement-service]");
                    System.exit(2);
                }
            }
        }
    }
}
