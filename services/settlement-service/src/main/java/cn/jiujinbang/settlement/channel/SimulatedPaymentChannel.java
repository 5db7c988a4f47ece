package cn.jiujinbang.settlement.channel;

import io.quarkus.arc.DefaultBean;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A stand-in for the payment provider in development, tests and the demo: it books every hold,
 * charge, void and payout in its own table (once per reference, as a provider's idempotency key
 * works) and settles them at once. Payouts to the workers named in
 * {@code gig.channel.simulator.failing-workers} fail, and so do holds and charges of the residents
 * named in {@code gig.channel.simulator.failing-residents}, so reconciliation has something to find.
 * A capture must name a hold it received and succeeded, for at least its amount.
 * {@code GET /channel/statement} exports its statement in the channel's CSV format.
 */
@ApplicationScoped
@DefaultBean
public class SimulatedPaymentChannel implements PaymentChannel {

    private final List<String> failingWorkers;
    private final List<String> failingResidents;
    private final Clock clock;

    public SimulatedPaymentChannel(@ConfigProperty(name = "gig.channel.simulator.failing-workers")
                                   Optional<List<String>> failingWorkers,
                                   @ConfigProperty(name = "gig.channel.simulator.failing-residents")
                                   Optional<List<String>> failingResidents, Clock clock) {
        this.failingWorkers = failingWorkers.orElse(List.of());
        this.failingResidents = failingResidents.orElse(List.of());
        this.clock = clock;
    }

    /** In its own transaction, as a provider's own book would be; the same reference is done once. */
    @Override
    public Uni<Answer> send(Instruction instruction) {
        return sendAll(List.of(instruction)).map(answers -> answers.get(0));
    }

    /** The whole list in one transaction of its own: one INSERT for the new references, one SELECT for the answers. */
    @Override
    public Uni<List<Answer>> sendAll(List<Instruction> instructions) {
        if (instructions.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> authorizations = instructions.stream().filter(i -> i.kind() == Kind.CHARGE && i.authorization() != null)
                .map(Instruction::authorization).toList();
        return Panache.withTransaction(() -> (authorizations.isEmpty() ? Uni.createFrom().item(java.util.Map.<String, Long>of())
                : heldAmounts(authorizations)).chain(held -> book(instructions, held)));
    }

    /** What each of the authorisations holds (successful holds only). */
    private static Uni<java.util.Map<String, Long>> heldAmounts(List<String> authorizations) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT reference, amount_fen FROM channel_simulator_txn
                        WHERE type = 'HOLD' AND status = 'SUCCESS' AND reference = ANY (CAST(:refs AS text[]))""", Tuple.class)
                .setParameter("refs", authorizations.toArray(String[]::new)).getResultList())
                .map(rows -> {
                    java.util.Map<String, Long> held = new java.util.HashMap<>();
                    rows.forEach(r -> held.put(r.get("reference", String.class), r.get("amount_fen", Number.class).longValue()));
                    return held;
                });
    }

    private Uni<List<Answer>> book(List<Instruction> instructions, java.util.Map<String, Long> held) {
        OffsetDateTime at = OffsetDateTime.now(clock);
        String[] ids = new String[instructions.size()];
        String[] statuses = new String[instructions.size()];
        for (int i = 0; i < ids.length; i++) {
            Instruction instruction = instructions.get(i);
            ids[i] = "SIM-" + UUID.randomUUID().toString().substring(0, 13);
            boolean refused = switch (instruction.kind()) {
                case PAYOUT -> failingWorkers.contains(instruction.partyId());
                case HOLD -> failingResidents.contains(instruction.partyId());
                case CHARGE -> failingResidents.contains(instruction.partyId()) || (instruction.authorization() != null
                        && held.getOrDefault(instruction.authorization(), 0L) < instruction.amountFen());
                case VOID -> false;
            };
            statuses[i] = refused ? "FAILED" : "SUCCESS";
        }
        String[] types = instructions.stream().map(i -> i.kind().name()).toArray(String[]::new);
        String[] refs = instructions.stream().map(Instruction::reference).toArray(String[]::new);
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                                INSERT INTO channel_simulator_txn (channel_txn_id, reference, type, amount_fen, status, settled_at)
                                SELECT t.id, t.ref, t.type, t.amount, t.status, :at
                                FROM unnest(CAST(:ids AS text[]), CAST(:refs AS text[]), CAST(:types AS text[]),
                                            CAST(:amounts AS bigint[]), CAST(:statuses AS text[])) AS t(id, ref, type, amount, status)
                                ORDER BY t.type, t.ref ON CONFLICT (type, reference) DO NOTHING""")
                        .setParameter("ids", ids).setParameter("refs", refs).setParameter("types", types)
                        .setParameter("amounts", instructions.stream().map(Instruction::amountFen).toArray(Long[]::new))
                        .setParameter("statuses", statuses).setParameter("at", at).executeUpdate()
                        .chain(() -> s.createNativeQuery("""
                                        SELECT t.type, t.reference, t.channel_txn_id, t.status FROM channel_simulator_txn t
                                        JOIN unnest(CAST(:refs AS text[]), CAST(:types AS text[])) AS w(ref, type)
                                          ON t.reference = w.ref AND t.type = w.type""", Tuple.class)
                                .setParameter("refs", refs).setParameter("types", types).getResultList()))
                .map(rows -> {
                    java.util.Map<String, Answer> byKey = new java.util.HashMap<>();
                    for (Tuple r : rows) {
                        byKey.put(r.get("type", String.class) + ":" + r.get("reference", String.class),
                                answer(Kind.valueOf(r.get("type", String.class)), r.get("channel_txn_id", String.class),
                                        r.get("status", String.class)));
                    }
                    return instructions.stream().map(i -> byKey.get(i.kind().name() + ":" + i.reference())).toList();
                });
    }

    private static Answer answer(Kind kind, String txnId, String status) {
        return "SUCCESS".equals(status) ? new Answer(Outcome.SUCCEEDED, txnId, null)
                : new Answer(Outcome.FAILED, txnId, "the simulated channel refuses this " + (kind == Kind.PAYOUT ? "worker" : "resident")
                + (kind == Kind.CHARGE ? " (or the capture exceeds its hold)" : ""));
    }

    @Override
    public Uni<Answer> status(Kind kind, String reference) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT channel_txn_id, status FROM channel_simulator_txn WHERE type = :type AND reference = :ref""", Tuple.class)
                .setParameter("type", kind.name()).setParameter("ref", reference).getResultList()))
                .map(rows -> rows.isEmpty() ? null
                        : answer(kind, rows.get(0).get("channel_txn_id", String.class), rows.get(0).get("status", String.class)));
    }

    /** The statement of the money the simulated channel moved in [from, to): charges and payouts (holds move none). */
    public Uni<String> statementCsv(OffsetDateTime from, OffsetDateTime to) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT channel_txn_id, reference, type, amount_fen, status, settled_at FROM channel_simulator_txn
                        WHERE settled_at >= :from AND settled_at < :to AND type IN ('CHARGE', 'PAYOUT') ORDER BY settled_at, channel_txn_id""", Tuple.class)
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
