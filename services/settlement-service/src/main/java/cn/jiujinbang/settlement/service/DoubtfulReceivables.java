package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.Postings;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Workers are paid only from collected money. A charge the channel reports FAILED (in its answer
 * or on its statement) books its amount as doubtful once (channel receivable → doubtful
 * receivable) and holds the settlement's net from payout batches; finance resolves it as
 * recollected (the money arrived after all) or written off as the platform's loss, with who and why.
 * Either resolution releases the worker's net to the next payout batch.
 */
@ApplicationScoped
public class DoubtfulReceivables {

    public enum Resolution { RECOLLECTED, WRITTEN_OFF }

    public record FailedCharge(String orderId, String reason) {
    }

    public record View(String orderId, String workerId, long amountFen, long heldNetFen, String reason, String status,
                       OffsetDateTime createdAt, String resolvedBy, String resolutionNote, OffsetDateTime resolvedAt) {
    }

    private final LedgerRepository ledger;
    private final AuditTrail audit;
    private final Clock clock;

    public DoubtfulReceivables(LedgerRepository ledger, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** Books failed charges as doubtful, each order once (in the caller's transaction). */
    public Uni<Void> chargesFailed(List<FailedCharge> failed, OffsetDateTime now) {
        if (failed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO doubtful_receivable (order_id, worker_id, amount_fen, held_net_fen, reason, created_at)
                        SELECT st.order_id, st.worker_id, st.charged_fen, st.net_fen, f.reason, :now
                        FROM unnest(CAST(:orders AS text[]), CAST(:reasons AS text[])) AS f(order_id, reason)
                        JOIN settlement st ON st.order_id = f.order_id
                        WHERE st.charged_fen > 0
                        ORDER BY st.order_id
                        ON CONFLICT (order_id) DO NOTHING
                        RETURNING order_id, amount_fen, reason""", Tuple.class)
                .setParameter("orders", failed.stream().map(FailedCharge::orderId).toArray(String[]::new))
                .setParameter("reasons", failed.stream().map(FailedCharge::reason).toArray(String[]::new))
                .setParameter("now", now).getResultList())
                .chain(booked -> ledger.postAll(booked.stream().map(r -> Postings.chargeFailed(r.get("order_id", String.class),
                        Money.fen(r.get("amount_fen", Number.class).longValue()), r.get("reason", String.class))).toList(), now))
                .replaceWithVoid();
    }

    /** Resolves an open doubtful receivable; 404 when there is none, 409 when it was resolved before. */
    public Uni<View> resolve(String orderId, Resolution resolution, String by, String note) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE doubtful_receivable SET status = :status, resolved_by = :by, resolution_note = :note,
                                                       resolved_at = :now
                        WHERE order_id = :order AND status = 'OPEN' RETURNING amount_fen""", Long.class)
                .setParameter("status", resolution.name()).setParameter("by", by).setParameter("note", note)
                .setParameter("now", now).setParameter("order", orderId).getResultList()
                .chain(amounts -> {
                    if (amounts.isEmpty()) {
                        return find(orderId).map(v -> {
                            if (v == null) {
                                throw ApiProblem.notFound("doubtful receivable of order " + orderId);
                            }
                            throw ApiProblem.conflict("the doubtful receivable of order " + orderId + " is already "
                                    + v.status());
                        });
                    }
                    Money amount = Money.fen(amounts.get(0));
                    return ledger.post(resolution == Resolution.RECOLLECTED
                                    ? Postings.chargeRecollected(orderId, amount, by, note)
                                    : Postings.chargeWrittenOff(orderId, amount, by, note), now)
                            .chain(() -> audit.record(s, now, by, resolution == Resolution.RECOLLECTED
                                            ? FinanceAction.RECEIVABLE_RECOLLECTED : FinanceAction.RECEIVABLE_WRITTEN_OFF,
                                    orderId, java.util.Map.of("amountFen", amount.fen(), "note", note)))
                            .chain(() -> find(orderId));
                })));
    }

    public Uni<View> find(String orderId) {
        return list("SELECT * FROM doubtful_receivable WHERE order_id = :order", orderId)
                .map(views -> views.isEmpty() ? null : views.get(0));
    }

    /** The open ones, oldest first (at most 1,000). */
    public Uni<List<View>> open() {
        return list("SELECT * FROM doubtful_receivable WHERE status = 'OPEN' ORDER BY created_at, order_id LIMIT 1000", null);
    }

    private Uni<List<View>> list(String sql, String orderId) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql, Tuple.class);
            if (orderId != null) {
                query.setParameter("order", orderId);
            }
            return query.getResultList();
        }).map(rows -> rows.stream().map(r -> new View(r.get("order_id", String.class), r.get("worker_id", String.class),
                r.get("amount_fen", Number.class).longValue(), r.get("held_net_fen", Number.class).longValue(),
                r.get("reason", String.class), r.get("status", String.class), NativeValues.offsetDateTime(r.get("created_at")),
                r.get("resolved_by", String.class), r.get("resolution_note", String.class),
                r.get("resolved_at") == null ? null : NativeValues.offsetDateTime(r.get("resolved_at")))).toList());
    }
}
