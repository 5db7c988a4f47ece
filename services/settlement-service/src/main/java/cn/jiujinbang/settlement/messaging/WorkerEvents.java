package cn.jiujinbang.settlement.messaging;

import cn.jiujinbang.platform.events.AgreementSigned;
import cn.jiujinbang.platform.events.WorkerVerified;
import cn.jiujinbang.platform.messaging.EventBatchHandler;
import cn.jiujinbang.platform.messaging.EventInbox;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Workers' standing from matching-service: verified, and which labor-service agreement they signed
 * when (worker_standing). Payout batches pay only workers who signed. Each batch of events is one
 * transaction of the inbox; an event for a worker is applied once, and an older signature never
 * replaces a newer one.
 */
@ApplicationScoped
public class WorkerEvents implements EventBatchHandler {

    private final EventInbox inbox;
    private final Clock clock;

    public WorkerEvents(EventInbox inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    @Incoming("worker-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.deliverBatch(batch, this);
    }

    @Override
    public boolean handles(String type) {
        return EventTypes.WORKER_VERIFIED.equals(type) || EventTypes.WORKER_AGREEMENT_SIGNED.equals(type);
    }

    @Override
    public Uni<Void> handle(List<IncomingEvent> events) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Uni<Void> done = Uni.createFrom().voidItem();
        for (IncomingEvent e : events) {
            if (EventTypes.WORKER_VERIFIED.equals(e.type())) {
                WorkerVerified v = e.data(WorkerVerified.class);
                done = done.chain(() -> upsert("""
                        INSERT INTO worker_standing (worker_id, verified_at, updated_at) VALUES (:worker, :at, :now)
                        ON CONFLICT (worker_id) DO UPDATE SET verified_at = excluded.verified_at, updated_at = excluded.updated_at""",
                        v.workerId(), null, v.verifiedAt(), now));
            } else {
                AgreementSigned a = e.data(AgreementSigned.class);
                done = done.chain(() -> upsert("""
                        INSERT INTO worker_standing (worker_id, agreement_version, agreement_signed_at, updated_at)
                        VALUES (:worker, :version, :at, :now)
                        ON CONFLICT (worker_id) DO UPDATE SET agreement_version = excluded.agreement_version,
                            agreement_signed_at = excluded.agreement_signed_at, updated_at = excluded.updated_at
                        WHERE worker_standing.agreement_signed_at IS NULL
                           OR worker_standing.agreement_signed_at < excluded.agreement_signed_at""",
                        a.workerId(), a.agreementVersion(), a.signedAt(), now));
            }
        }
        return done;
    }

    private static Uni<Void> upsert(String sql, String worker, String version, OffsetDateTime at, OffsetDateTime now) {
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery(sql).setParameter("worker", worker).setParameter("at", at).setParameter("now", now);
            if (version != null) {
                q.setParameter("version", version);
            }
            return q.executeUpdate();
        }).replaceWithVoid();
    }
}
