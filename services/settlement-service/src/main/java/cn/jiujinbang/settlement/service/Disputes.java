package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.platform.events.DisputeResolved;
import cn.jiujinbang.platform.events.OrderDisputed;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.settlement.domain.DisputeResolution;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Residents' disputes: each holds the worker's pay for the order (the payout batches' view says
 * DISPUTED) until finance or an admin resolves it ({@link DisputeResolution} says what moves); the
 * resolution is posted, audited and announced (gig.dispute.resolved.v1) in one transaction.
 */
@ApplicationScoped
public class Disputes {

    private final LedgerRepository ledger;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final Clock clock;

    public Disputes(LedgerRepository ledger, AuditTrail audit, Outbox outbox, Clock clock) {
        this.ledger = ledger;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    public record View(String orderId, String workerId, String residentId, String reason, String status, String outcome,
                       long refundFen, long fromWorkerFen, OffsetDateTime openedAt, OffsetDateTime resolvedAt,
                       String resolvedBy, String note) {
    }

    /** Disputes arriving from order-service (in the inbox transaction, after their orders were settled); a repeat changes nothing. */
    public Uni<Void> opened(List<OrderDisputed> disputes) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (OrderDisputed d : disputes) {
            done = done.chain(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                            INSERT INTO dispute (order_id, worker_id, resident_id, reason, status, opened_at)
                            VALUES (:order, :worker, :resident, :reason, 'OPEN', :at) ON CONFLICT DO NOTHING""")
                    .setParameter("order", d.orderId()).setParameter("worker", d.workerId())
                    .setParameter("resident", d.residentId()).setParameter("reason", d.reason())
                    .setParameter("at", d.disputedAt()).executeUpdate())).replaceWithVoid();
        }
        return done;
    }

    /** Resolves the order's open dispute for a finance clerk or an admin ({@code role}, {@code actor}). */
    public Uni<View> resolve(String orderId, DisputeResolution.Outcome outcome, Long refundFen, String note, String role,
                             String actor) {
        String by = role + ":" + actor;
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT d.status, d.worker_id, st.net_fen, st.tax_fen, st.service_fee_fen, st.charged_fen,
                               EXISTS (SELECT 1 FROM payout_item pi JOIN payout p ON p.id = pi.payout_id
                                       WHERE pi.order_id = d.order_id AND p.status <> 'FAILED') AS paid_out
                        FROM dispute d LEFT JOIN settlement st ON st.order_id = d.order_id
                        WHERE d.order_id = :order FOR UPDATE OF d""", Tuple.class)
                .setParameter("order", orderId).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        throw ApiProblem.notFound("dispute of order " + orderId);
                    }
                    Tuple row = rows.get(0);
                    if (!"OPEN".equals(row.get("status", String.class))) {
                        throw ApiProblem.conflict("the dispute of order " + orderId + " is resolved already");
                    }
                    if (row.get("net_fen") == null) {
                        throw ApiProblem.conflict("order " + orderId + " is not settled yet; resolve its dispute once it is");
                    }
                    String worker = row.get("worker_id", String.class);
                    DisputeResolution.Result result = DisputeResolution.of(outcome, refundFen, fen(row, "net_fen"),
                            fen(row, "tax_fen"), fen(row, "service_fee_fen"), fen(row, "charged_fen"),
                            row.get("paid_out", Boolean.class));
                    if (result.invalid() != null) {
                        throw ApiProblem.invalid("refundFen", result.invalid());
                    }
                    if (result.conflict() != null) {
                        throw ApiProblem.conflict(result.conflict());
                    }
                    DisputeResolution r = result.resolution();
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("outcome", outcome.name());
                    details.put("refundFen", r.refund().fen());
                    details.put("note", note == null ? "" : note);
                    return r.posting(orderId, worker).map(tx -> ledger.post(tx, now).replaceWithVoid())
                            .orElse(Uni.createFrom().voidItem())
                            .chain(() -> s.createNativeQuery("""
                                            UPDATE dispute SET status = 'RESOLVED', outcome = :outcome, refund_fen = :refund,
                                                from_worker_fen = :fromWorker, resolved_at = :now, resolved_by = :by, note = :note
                                            WHERE order_id = :order""")
                                    .setParameter("outcome", outcome.name()).setParameter("refund", r.refund().fen())
                                    .setParameter("fromWorker", r.fromWorker().fen()).setParameter("now", now)
                                    .setParameter("by", by).setParameter("note", note).setParameter("order", orderId)
                                    .executeUpdate())
                            .chain(() -> audit.record(s, now, actor, FinanceAction.DISPUTE_RESOLVED, orderId, details))
                            .chain(() -> outbox.add(Topics.SETTLEMENT, orderId, EventTypes.DISPUTE_RESOLVED,
                                    new DisputeResolved(orderId, outcome.name(), r.refund().fen(), by, note, now)));
                })))
                .chain(() -> Panache.withSession(() -> find(orderId)));
    }

    private static Money fen(Tuple row, String column) {
        return Money.fen(row.get(column, Number.class).longValue());
    }

    public Uni<View> find(String orderId) {
        return list("SELECT * FROM dispute WHERE order_id = :p", orderId).map(l -> l.isEmpty() ? null : l.get(0));
    }

    /** Disputes in a status (OPEN or RESOLVED), oldest first, at most 500. */
    public Uni<List<View>> inStatus(String status) {
        return list("SELECT * FROM dispute WHERE status = :p ORDER BY opened_at LIMIT 500", status);
    }

    private Uni<List<View>> list(String sql, String parameter) {
        return Panache.getSession().chain(s -> s.createNativeQuery(sql, Tuple.class).setParameter("p", parameter).getResultList())
                .map(rows -> rows.stream().map(r -> new View(r.get("order_id", String.class), r.get("worker_id", String.class),
                        r.get("resident_id", String.class), r.get("reason", String.class), r.get("status", String.class),
                        r.get("outcome", String.class), r.get("refund_fen", Number.class).longValue(),
                        r.get("from_worker_fen", Number.class).longValue(),
                        cn.jiujinbang.platform.persistence.NativeValues.offsetDateTime(r.get("opened_at")),
                        cn.jiujinbang.platform.persistence.NativeValues.offsetDateTime(r.get("resolved_at")),
                        r.get("resolved_by", String.class), r.get("note", String.class))).toList());
    }
}
