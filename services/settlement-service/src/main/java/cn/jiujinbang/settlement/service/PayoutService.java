package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.settlement.channel.PaymentChannel;
import cn.jiujinbang.settlement.domain.Account;
import cn.jiujinbang.settlement.domain.JournalTransaction;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Payout batches: one payout per worker owed money from settlements booked up to the batch date
 * (end of that day, Asia/Shanghai), each with a unique reference; journal: worker payable →
 * payout clearing. One batch per date: asking again for the same date adds payouts only for
 * settlements booked since (none for a plain repeat) and returns the same batch; no settlement
 * is ever paid twice (a failed payout's settlements are paid again by a later call).
 */
@ApplicationScoped
public class PayoutService {

    private final LedgerRepository ledger;
    private final PaymentChannel channel;
    private final Clock clock;

    public PayoutService(LedgerRepository ledger, PaymentChannel channel, Clock clock) {
        this.ledger = ledger;
        this.channel = channel;
        this.clock = clock;
    }

    public record PayoutView(String reference, String workerId, long amountFen, String status, int settlements) {
    }

    public record BatchView(UUID id, LocalDate date, OffsetDateTime createdAt, long totalFen, List<PayoutView> payouts) {
    }

    public Uni<BatchView> run(LocalDate date) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime cutoff = ClockProducer.startOf(date.plusDays(1));
        UUID batchId = UUID.randomUUID();
        return Panache.withTransaction(() -> Panache.getSession().chain(s ->
                // one batch runs at a time, so two batches never pay the same settlement
                s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('gig.payout-batch'))", Object.class).getSingleResult()
                        .chain(() -> s.createNativeQuery("""
                                        INSERT INTO payout_batch (id, batch_date, created_at) VALUES (:id, :date, :now)
                                        ON CONFLICT (batch_date) DO NOTHING""")
                                .setParameter("id", batchId).setParameter("date", date).setParameter("now", now).executeUpdate())
                        .chain(() -> s.createNativeQuery("SELECT id FROM payout_batch WHERE batch_date = :date", UUID.class)
                                .setParameter("date", date).getSingleResult())
                        .chain(id -> pay(s, id, date, cutoff, now))
                        .chain(() -> find(date))));
    }

    private Uni<Void> pay(Mutiny.Session s, UUID batchId, LocalDate date, OffsetDateTime cutoff, OffsetDateTime now) {
        return s.createNativeQuery("""
                        SELECT st.worker_id AS worker, string_agg(st.order_id, ',' ORDER BY st.seq) AS orders,
                               sum(st.net_fen) AS amount
                        FROM settlement st
                        WHERE st.settled_at < :cutoff AND st.net_fen > 0
                          AND NOT EXISTS (SELECT 1 FROM payout_item pi JOIN payout p ON p.id = pi.payout_id
                                          WHERE pi.order_id = st.order_id AND p.status <> 'FAILED')
                        GROUP BY st.worker_id ORDER BY st.worker_id""", Tuple.class)
                .setParameter("cutoff", cutoff).getResultList().chain(owed -> {
                    Uni<Void> done = Uni.createFrom().voidItem();
                    String day = date.format(DateTimeFormatter.BASIC_ISO_DATE);
                    for (Tuple row : owed) {
                        String worker = row.get("worker", String.class);
                        String[] orders = row.get("orders", String.class).split(","); // order ids are UUIDs
                        long amount = row.get("amount", Number.class).longValue();
                        UUID payoutId = UUID.randomUUID();
                        String reference = "PO-" + day + "-" + payoutId.toString().substring(0, 8);
                        done = done.chain(() -> s.createNativeQuery("""
                                                INSERT INTO payout (id, batch_id, reference, worker_id, amount_fen, status, created_at, updated_at)
                                                VALUES (:id, :batch, :ref, :worker, :amount, 'SENT', :now, :now)""")
                                        .setParameter("id", payoutId).setParameter("batch", batchId).setParameter("ref", reference)
                                        .setParameter("worker", worker).setParameter("amount", amount).setParameter("now", now)
                                        .executeUpdate())
                                .chain(() -> s.createNativeQuery("""
                                                INSERT INTO payout_item (order_id, payout_id) SELECT unnest(CAST(:orders AS text[])), :payout""")
                                        .setParameter("orders", orders).setParameter("payout", payoutId).executeUpdate())
                                .chain(() -> ledger.post(JournalTransaction.builder("PAYOUT", null, "payout " + reference + " to " + worker)
                                        .debit(Account.workerPayable(worker), Money.fen(amount))
                                        .credit(Account.PAYOUT_CLEARING.code(), Money.fen(amount))
                                        .build(), now))
                                .chain(() -> channel.payout(reference, worker, amount, now))
                                .chain(txn -> s.createNativeQuery("UPDATE payout SET channel_txn_id = :txn WHERE id = :id")
                                        .setParameter("txn", txn).setParameter("id", payoutId).executeUpdate())
                                .replaceWithVoid();
                    }
                    return done;
                });
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
                .setParameter("id", id).getResultList()).map(rows -> {
            if (rows.isEmpty()) {
                return null;
            }
            Tuple first = rows.get(0);
            List<PayoutView> payouts = rows.stream().filter(r -> r.get("reference") != null) // a batch that paid nobody
                    .map(r -> new PayoutView(r.get("reference", String.class), r.get("worker_id", String.class),
                            r.get("amount_fen", Number.class).longValue(), r.get("status", String.class),
                            r.get("items", Number.class).intValue())).toList();
            return new BatchView(first.get("id", UUID.class), toLocalDate(first.get("batch_date")),
                    NativeValues.offsetDateTime(first.get("created_at")),
                    payouts.stream().mapToLong(PayoutView::amountFen).sum(), payouts);
        });
    }

    private static LocalDate toLocalDate(Object value) {
        return value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate();
    }
}
