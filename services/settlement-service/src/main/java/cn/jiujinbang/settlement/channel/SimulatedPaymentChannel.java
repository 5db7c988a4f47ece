package cn.jiujinbang.settlement.channel;

import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A stand-in for the payment provider in development, tests and the demo: it books every charge
 * and payout in its own table and settles them at once. Payouts to the workers named in
 * {@code gig.channel.simulator.failing-workers} fail, so reconciliation has something to find.
 * {@code GET /channel/statement} exports its statement in the channel's CSV format.
 */
@ApplicationScoped
@DefaultBean
public class SimulatedPaymentChannel implements PaymentChannel {

    private final List<String> failingWorkers;

    public SimulatedPaymentChannel(@ConfigProperty(name = "gig.channel.simulator.failing-workers")
                                   Optional<List<String>> failingWorkers) {
        this.failingWorkers = failingWorkers.orElse(List.of());
    }

    @Override
    public Uni<Void> charge(List<Charge> charges, OffsetDateTime at) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO channel_simulator_txn (channel_txn_id, reference, type, amount_fen, status, settled_at)
                        SELECT 'SIM-' || substr(CAST(gen_random_uuid() AS text), 1, 13), c.reference, 'CHARGE', c.amount,
                               'SUCCESS', :at
                        FROM unnest(CAST(:refs AS text[]), CAST(:amounts AS bigint[])) AS c(reference, amount)""")
                .setParameter("refs", charges.stream().map(Charge::orderId).toArray(String[]::new))
                .setParameter("amounts", charges.stream().map(Charge::amountFen).toArray(Long[]::new))
                .setParameter("at", at).executeUpdate()).replaceWithVoid();
    }

    @Override
    public Uni<String> payout(String reference, String workerId, long amountFen, OffsetDateTime at) {
        return book(reference, "PAYOUT", amountFen, failingWorkers.contains(workerId) ? "FAILED" : "SUCCESS", at);
    }

    private static Uni<String> book(String reference, String type, long amountFen, String status, OffsetDateTime at) {
        String txnId = "SIM-" + UUID.randomUUID().toString().substring(0, 13);
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO channel_simulator_txn (channel_txn_id, reference, type, amount_fen, status, settled_at)
                        VALUES (:id, :ref, :type, :amount, :status, :at)""")
                .setParameter("id", txnId).setParameter("ref", reference).setParameter("type", type)
                .setParameter("amount", amountFen).setParameter("status", status).setParameter("at", at)
                .executeUpdate()).replaceWith(txnId);
    }

    /** The statement of everything the simulated channel settled in [from, to). */
    public Uni<String> statementCsv(OffsetDateTime from, OffsetDateTime to) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT channel_txn_id, reference, type, amount_fen, status, settled_at FROM channel_simulator_txn
                        WHERE settled_at >= :from AND settled_at < :to ORDER BY settled_at, channel_txn_id""", Tuple.class)
                .setParameter("from", from).setParameter("to", to).getResultList()).map(rows -> {
            StringBuilder csv = new StringBuilder(cn.jiujinbang.settlement.domain.ChannelStatement.HEADER).append('\n');
            for (Tuple r : rows) {
                csv.append(r.get("channel_txn_id")).append(',').append(r.get("reference")).append(',').append(r.get("type"))
                        .append(',').append(r.get("amount_fen")).append(',').append(r.get("status")).append(',')
                        .append(cn.jiujinbang.platform.persistence.NativeValues.offsetDateTime(r.get("settled_at"))
                                .atZoneSameInstant(cn.jiujinbang.platform.ClockProducer.BUSINESS_ZONE).toOffsetDateTime())
                        .append('\n');
            }
            return csv.toString();
        });
    }
}
