package cn.jiujinbang.platform.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Readiness is UP only once every Kafka consumer of this service has joined its group and been
 * given its share of the partitions. Before that an event published now would wait for the
 * group to form (seconds, or a dead member's session timeout), so a load balancer or
 * {@code make run} must not send work yet. A consumer counts as joined after its first
 * assignment, even an empty one (more replicas than partitions); later rebalances do not make the
 * service unready, since they finish on their own in seconds.
 * <p>
 * Every incoming Kafka channel uses this listener ({@code consumer-rebalance-listener.name}, set
 * for the connector in the platform defaults); a consumer is recognised by the topics it subscribes to.
 */
@Readiness
@ApplicationScoped
@Identifier(ConsumerReadiness.NAME)
public class ConsumerReadiness implements HealthCheck, KafkaConsumerRebalanceListener {

    public static final String NAME = "gig.consumer-readiness";
    private static final Logger LOG = Logger.getLogger(ConsumerReadiness.class);

    /** channel → the topic it consumes, for every incoming Kafka channel of this service. */
    private final Map<String, String> topicsByChannel;
    private final Set<String> joinedTopics = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    public ConsumerReadiness(Config config) {
        this.topicsByChannel = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".connector")
                    && "smallrye-kafka".equals(config.getOptionalValue(name, String.class).orElse(""))) {
                String channel = name.substring("mp.messaging.incoming.".length(), name.length() - ".connector".length());
                topicsByChannel.put(channel, config.getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                        .orElse(channel));
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Set<String> subscribed = consumer.subscription();
        for (String topic : subscribed) {
            if (joinedTopics.add(topic)) {
                LOG.infof("consumer of %s joined its group", topic);
            }
        }
        count(consumer);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        count(consumer);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        count(consumer);
    }

    /** The partitions the consumer owns now, per topic (shown in the readiness data). */
    private void count(Consumer<?, ?> consumer) {
        Map<String, Long> owned = consumer.assignment().stream()
                .collect(Collectors.groupingBy(TopicPartition::topic, Collectors.counting()));
        for (String topic : consumer.subscription()) {
            partitions.put(topic, owned.getOrDefault(topic, 0L).intValue());
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("Kafka consumers joined their groups");
        boolean ready = true;
        for (Map.Entry<String, String> channel : topicsByChannel.entrySet()) {
            String topic = channel.getValue();
            boolean joined = joinedTopics.contains(topic);
            ready &= joined;
            health.withData(channel.getKey(), joined ? topic + ": " + partitions.getOrDefault(topic, 0) + " partition(s)"
                    : topic + ": waiting for the group");
        }
        return health.status(ready).build();
    }
}
