package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.notify.NotificationKind;
import cn.jiujinbang.platform.notify.Notifications;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.settlement.domain.Postings;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Payout batches: one payout per worker owed money from collected settlements booked up to the
 * batch date (end of that day, Asia/Shanghai). A payout is committed as an instruction with a fixed
 * reference ({@code PO-<date>-<sequence>}) and its journal transaction (worker payable → payout
 * clearing); {@code PaymentSender} sends it after the commit. One batch per date: asking again adds
 * payouts only for what became payable since and returns the same batch; no settlement is paid twice
 * (a failed payout's settlements are paid again by a later batch, under a new reference).
 * <p>
 * Only collected money is paid: a settlement is payable when the channel answered its charge
 * SUCCEEDED and no doubtful receivable of it is open. The batch is set-based, in chunks of workers
 * (bounded memory for any number of owed workers), and batches run one at a time: a call that
 * cannot get the lock within {@code gig.payouts.lock-timeout} is answered 503 with Retry-After.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its counters are on /q/metrics from the start, at 0, not only after first use
public class PayoutService {

    private static final int CHUNK = 5_000;

    private final LedgerRepository ledger;
    private final AuditTrail audit;
    private final Clock clock;
    private final String lockTimeout;

    private final Counter payoutCount;
    private final Counter payoutFen;

    private final Notifications notifications;

    public PayoutService(LedgerRepository ledger, AuditTrail audit, Clock clock, MeterRegistry metrics, Notifications notifications,
                         @ConfigProperty(name = "gig.payouts.lock-timeout", defaultValue = "5s") Duration lockTimeout) {
        this.payoutCount = Counter.builder("gig.payouts").description("payouts instructed by payout batches").register(metrics);
        this.payoutFen = Counter.builder("gig.payouts.fen").description("fen instructed to workers by payout batches").register(metrics);
        this.notifications = notifications;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.lockTimeout = lockTimeout.toMillis() + "ms";
    }

    public record PayoutView(String reference, String workerId, long amountFen, String status, int settlements) {
    }

    public record BatchView(UUID id, LocalDate date, OffsetDateTime createdAt, long totalFen, List<PayoutView> payouts,
                            List<HeldView> held) {
    }

    /**
     * Earnings up to the batch's date that it did not pay, per worker and reason: AGREEMENT_NOT_SIGNED
     * (the worker has not signed the labor-service agreement), DISPUTED (the resident disputes the order).
     */
    public record HeldView(String workerId, String reason, long amountFen, int settlements) {
    }

    /** The channel's answer to a payout instruction. */
    public record Answered(String reference, boolean succeeded, String channelTxnId, String reason) {
    }

    /** Runs (or continues) the date's batch for {@code actor}, recorded in the audit trail with it. */
    public Uni<BatchView> run(LocalDate date, String actor) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime cutoff = ClockProducer.startOf(date.plusDays(1));
        UUID batchId = UUID.randomUUID();
        String day = date.format(DateTimeFormatter.BASIC_ISO_DATE);
        return Panache.withTransaction(() -> Panache.getSession().chain(s ->
                        s.createNativeQuery("SELECT set_config('lock_timeout', :timeout, true)", String.class)
                                .setParameter("timeout", lockTimeout).getSingleResult()
                                // one batch runs at a time, so two batches never pay the same settlement
                                .chain(() -> s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('gig.payout-batch'))",
                                        Object.class).getSingleResult())
                                .chain(() -> s.createNativeQuery("""
                                                INSERT INTO payout_batch (id, batch_date, created_at) VALUES (:id, :date, :now)
                                                ON CONFLICT (batch_date) DO NOTHING""")
                                        .setParameter("id", batchId).setParameter("date", date).setParameter("now", now)
                                        .executeUpdate())
                                .chain(() -> s.createNativeQuery("SELECT id FROM payout_batch WHERE batch_date = :date", UUID.class)
                                        .setParameter("date", date).getSingleResult())
                                .chain(id -> owed(s, cutoff).chain(() -> payFrom(s, id, day, now, ""))
                                        .chain(() -> audit.record(s, now, actor, FinanceAction.PAYOUT_BATCH_RUN, id.toString(),
                                                java.util.Map.of("date", date.toString()))))))
                .chain(() -> Panache.withSession(() -> find(date)));
    }

    /**
     * What is owed, per worker, in one pass over the settlements (a temporary table of this
     * transaction): collected settlements up to the cutoff that no payout pays yet.
     */
    private static Uni<Void> owed(Mutiny.Session s, OffsetDateTime cutoff) {
        return s.createNativeQuery("""
                        CREATE TEMPORARY TABLE owed (worker_id TEXT PRIMARY KEY, orders TEXT[] NOT NULL, amount BIGINT NOT NULL)
                        ON COMMIT DROP""").executeUpdate()
                .chain(() -> s.createNativeQuery("""
                        INSERT INTO owed (worker_id, orders, amount)
                        SELECT st.worker_id, array_agg(st.order_id ORDER BY st.seq) AS orders, sum(st.net_fen) AS amount
                        FROM settlement_payable st
                        WHERE st.settled_at < :cutoff AND st.held_because IS NULL
                        GROUP BY st.worker_id""")
                .setParameter("cutoff", cutoff).executeUpdate())
                .chain(() -> s.createNativeQuery("ANALYZE owed").executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Pays the next chunk of owed workers after {@code afterWorker} (in worker order) with four
     * statements: payouts, their items, their instructions, and the journal; then the next chunk.
     */
    private Uni<Void> payFrom(Mutiny.Session s, UUID batchId, String day, OffsetDateTime now, String afterWorker) {
        return s.createNativeQuery("""
                        WITH chunk AS (
                            SELECT worker_id, orders, amount FROM owed WHERE worker_id > :after ORDER BY worker_id LIMIT :chunk),
                        paid AS (
                            INSERT INTO payout (id, batch_id, reference, worker_id, amount_fen, status, created_at, updated_at)
                            SELECT gen_random_uuid(), :batch, 'PO-' || :day || '-' || lpad(CAST(nextval('payout_reference_seq') AS text), 9, '0'),
                                   o.worker_id, o.amount, 'INSTRUCTED', :now, :now
                            FROM chunk o ORDER BY o.worker_id
                            RETURNING id, reference, worker_id, amount_fen),
                        items AS (
                            INSERT INTO payout_item (order_id, payout_id)
                            SELECT unnest(o.orders), p.id FROM paid p JOIN chunk o ON o.worker_id = p.worker_id),
                        instructed AS (
                            INSERT INTO payment_instruction (reference, kind, payout_id, party_id, amount_fen, next_attempt_at, created_at)
                            SELECT p.reference, 'PAYOUT', p.id, p.worker_id, p.amount_fen, :now, :now FROM paid p)
                        SELECT reference, worker_id, amount_fen FROM paid ORDER BY worker_id""", Tuple.class)
                .setParameter("after", afterWorker).setParameter("chunk", CHUNK)
                .setParameter("batch", batchId).setParameter("day", day).setParameter("now", now)
                .getResultList()
                .chain(paid -> {
                    if (paid.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    payoutCount.increment(paid.size());
                    payoutFen.increment(paid.stream().mapToLong(r -> r.get("amount_fen", Number.class).longValue()).sum());
                    Uni<List<UUID>> posted = ledger.postAll(paid.stream().map(r -> Postings.payout(r.get("reference", String.class),
                            r.get("worker_id", String.class), Money.fen(r.get("amount_fen", Number.class).longValue()))).toList(), now);
                    String last = paid.get(paid.size() - 1).get("worker_id", String.class);
                    return paid.size() < CHUNK ? posted.replaceWithVoid()
                            : posted.chain(() -> payFrom(s, batchId, day, now, last));
                });
    }

    /**
     * The channel's answers to payout instructions (in the caller's transaction): SENT, or FAILED and
     * owed again.
     */
    public Uni<Void> answered(List<Answered> answers, OffsetDateTime now) {
        List<Answered> sent = answers.stream().filter(Answered::succeeded).toList();
        List<Answered> failed = answers.stream().filter(a -> !a.succeeded()).toList();
        Uni<Void> marked = sent.isEmpty() ? Uni.createFrom().voidItem() : Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payout p SET status = 'SENT', channel_txn_id = a.txn, updated_at = :now
                        FROM unnest(CAST(:refs AS text[]), CAST(:txns AS text[])) AS a(reference, txn)
                        WHERE p.reference = a.reference AND p.status = 'INSTRUCTED'
                        RETURNING p.reference, p.worker_id, p.amount_fen""", Tuple.class)
                .setParameter("refs", sent.stream().map(Answered::reference).toArray(String[]::new))
                .setParameter("txns", sent.stream().map(Answered::channelTxnId).toArray(String[]::new))
                .setParameter("now", now).getResultList())
                .chain(rows -> notifications.addAll(rows.stream().map(r -> { // each worker is told their pay was sent
                    long fen = r.get("amount_fen", Number.class).longValue();
                    String reference = r.get("reference", String.class);
                    return new Notifications.Notification(r.get("worker_id", String.class), NotificationKind.PAYOUT, reference,
                            String.format("报酬 ¥%d.%02d 已发放（编号 %s）。", fen / 100, fen % 100, reference));
                }).toList()));
        return marked.chain(() -> failed(failed.stream().map(Answered::reference).toList(),
                failed.stream().map(a -> a.reason() == null ? "refused by the channel" : a.reason()).toList(), now));
    }

    /** Payouts the channel failed (its answer or its statement): each owed again once (in the caller's transaction). */
    public Uni<Void> failed(List<String> references, List<String> reasons, OffsetDateTime now) {
        if (references.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payout p SET status = 'FAILED', updated_at = :now
                        FROM unnest(CAST(:refs AS text[]), CAST(:reasons AS text[])) AS f(reference, reason)
                        WHERE p.reference = f.reference AND p.status IN ('INSTRUCTED', 'SENT')
                        RETURNING p.reference, p.worker_id, p.amount_fen, f.reason""", Tuple.class)
                .setParameter("refs", references.toArray(String[]::new))
                .setParameter("reasons", reasons.toArray(String[]::new)).setParameter("now", now).getResultList())
                .chain(rows -> ledger.postAll(rows.stream().map(r -> Postings.payoutFailed(r.get("reference", String.class),
                        r.get("worker_id", String.class), Money.fen(r.get("amount_fen", Number.class).longValue()),
                        r.get("reason", String.class))).toList(), now))
                .replaceWithVoid();
    }

    /** Payouts a statement shows made: each confirmed once, posted together (in the caller's transaction). */
    public Uni<Void> confirmed(List<String> references, String statement, OffsetDateTime now) {
        if (references.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payout SET status = 'CONFIRMED', updated_at = :now
                        WHERE reference = ANY (CAST(:refs AS text[])) AND status IN ('INSTRUCTED', 'SENT')
                        RETURNING reference, amount_fen""", Tuple.class)
                .setParameter("refs", references.toArray(String[]::new)).setParameter("now", now).getResultList())
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().voidItem() : ledger.post(Postings.payoutsConfirmed(statement,
                        rows.size(), Money.fen(rows.stream().mapToLong(r -> r.get("amount_fen", Number.class).longValue()).sum())), now)
                        .replaceWithVoid());
    }

    public Uni<BatchView> find(LocalDate date) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT id FROM payout_batch WHERE batch_date = :date", UUID.class)
                .setParameter("date", date).getResultList()).chain(ids -> ids.isEmpty()
                ? Uni.createFrom().nullItem() : byId(ids.get(0)));
    }

    public Uni<BatchView> byId(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT b.id, b.batch_date, b.created_at, p.reference, p.worker_id, p.amount_fen, p.status,
                               (SELECT count(*) FROM payout_item pi WHERE pi.payout_id = p.id) AS items
                        FROM payout_batch b LEFT JOIN payout p ON p.batch_id = b.id
                        WHERE b.id = :id ORDER BY p.worker_id, p.created_at, p.reference""", Tuple.class)
                .setParameter("id", id).getResultList().chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            Tuple first = rows.get(0);
            LocalDate date = toLocalDate(first.get("batch_date"));
            List<PayoutView> payouts = rows.stream().filter(r -> r.get("reference") != null) // a batch that paid nobody
                    .map(r -> new PayoutView(r.get("reference", String.class), r.get("worker_id", String.class),
                            r.get("amount_fen", Number.class).longValue(), r.get("status", String.class),
                            r.get("items", Number.class).intValue())).toList();
            return held(s, ClockProducer.startOf(date.plusDays(1))).map(held -> new BatchView(first.get("id", UUID.class), date,
                    NativeValues.offsetDateTime(first.get("created_at")),
                    payouts.stream().mapToLong(PayoutView::amountFen).sum(), payouts, held));
        }));
    }

    /** What is held now of the earnings up to {@code cutoff}, per worker and reason. */
    private static Uni<List<HeldView>> held(Mutiny.Session s, OffsetDateTime cutoff) {
        return s.createNativeQuery("""
                        SELECT worker_id, held_because, sum(net_fen) AS amount, count(*) AS settlements
                        FROM settlement_payable WHERE settled_at < :cutoff AND held_because IS NOT NULL
                        GROUP BY worker_id, held_because ORDER BY worker_id, held_because""", Tuple.class)
                .setParameter("cutoff", cutoff).getResultList()
                .map(rows -> rows.stream().map(r -> new HeldView(r.get("worker_id", String.class),
                        r.get("held_because", String.class), r.get("amount", Number.class).longValue(),
                        r.get("settlements", Number.class).intValue())).toList());
    }

    private static LocalDate toLocalDate(Object value) {
        return value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate();
    }
}
