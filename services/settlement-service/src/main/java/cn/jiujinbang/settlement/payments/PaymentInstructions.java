package cn.jiujinbang.settlement.payments;

import cn.jiujinbang.settlement.channel.PaymentChannel;
import cn.jiujinbang.settlement.channel.PaymentChannel.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The {@code payment_instruction} table (V5__payment_instructions.sql): what the platform has
 * committed to ask of the payment channel, each under its fixed reference, and the answers.
 * Charges are added here in the settling transaction; payouts by the payout batch's own INSERT.
 */
@ApplicationScoped
public class PaymentInstructions {

    /** An instruction due to be sent (or asked about, after an earlier attempt). */
    public record Due(String reference, Kind kind, String orderId, UUID payoutId, String partyId, long amountFen,
                      int attempts) {

        public PaymentChannel.Instruction instruction() {
            return new PaymentChannel.Instruction(reference, kind, partyId, amountFen);
        }
    }

    /** An order's charge: its reference is the order id (one charge per order), as on the channel's statement. */
    public record Charge(String orderId, String residentId, long amountFen) {
    }

    /** Commits the charges in the caller's transaction, each once. */
    public Uni<Integer> addCharges(List<Charge> charges, OffsetDateTime now) {
        if (charges.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO payment_instruction (reference, kind, order_id, party_id, amount_fen, next_attempt_at, created_at)
                        SELECT c.order_id, 'CHARGE', c.order_id, c.resident_id, c.amount, :now, :now
                        FROM unnest(CAST(:orders AS text[]), CAST(:residents AS text[]), CAST(:amounts AS bigint[]))
                             WITH ORDINALITY AS c(order_id, resident_id, amount, n)
                        ORDER BY c.n ON CONFLICT (reference) DO NOTHING""")
                .setParameter("orders", charges.stream().map(Charge::orderId).toArray(String[]::new))
                .setParameter("residents", charges.stream().map(Charge::residentId).toArray(String[]::new))
                .setParameter("amounts", charges.stream().map(Charge::amountFen).toArray(Long[]::new))
                .setParameter("now", now).executeUpdate());
    }

    /**
     * Takes up to {@code limit} due instructions for this sender (its own short transaction): each
     * is leased until {@code now + lease}, so another replica's sender skips it meanwhile and takes it
     * over if this one dies before it records an answer.
     */
    public Uni<List<Due>> claim(int limit, OffsetDateTime now, Duration lease) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payment_instruction i SET attempts = i.attempts + 1, next_attempt_at = :leasedUntil
                        FROM (SELECT reference FROM payment_instruction
                              WHERE status = 'PENDING' AND next_attempt_at <= :now
                              ORDER BY next_attempt_at, reference LIMIT :limit FOR UPDATE SKIP LOCKED) due
                        WHERE i.reference = due.reference
                        RETURNING i.reference, i.kind, i.order_id, i.payout_id, i.party_id, i.amount_fen, i.attempts""", Tuple.class)
                .setParameter("now", now).setParameter("leasedUntil", now.plus(lease)).setParameter("limit", limit)
                .getResultList()))
                .map(rows -> rows.stream().map(r -> new Due(r.get("reference", String.class),
                        Kind.valueOf(r.get("kind", String.class)), r.get("order_id", String.class),
                        r.get("payout_id", UUID.class), r.get("party_id", String.class),
                        r.get("amount_fen", Number.class).longValue(), r.get("attempts", Number.class).intValue())).toList());
    }

    /**
     * Records the channel's answers (in the caller's transaction); returns the instructions answered
     * now, not before, so each answer's effect happens once.
     */
    public Uni<List<String>> answer(List<String> references, List<PaymentChannel.Answer> answers, OffsetDateTime now) {
        if (references.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payment_instruction i SET status = a.outcome, provider_txn_id = a.txn, answer = a.reason,
                                                         answered_at = :now
                        FROM unnest(CAST(:refs AS text[]), CAST(:outcomes AS text[]), CAST(:txns AS text[]),
                                    CAST(:reasons AS text[])) AS a(reference, outcome, txn, reason)
                        WHERE i.reference = a.reference AND i.status = 'PENDING'
                        RETURNING i.reference""", String.class)
                .setParameter("refs", references.toArray(String[]::new))
                .setParameter("outcomes", answers.stream().map(a -> a.outcome().name()).toArray(String[]::new))
                .setParameter("txns", answers.stream().map(PaymentChannel.Answer::channelTxnId).toArray(String[]::new))
                .setParameter("reasons", answers.stream().map(PaymentChannel.Answer::reason).toArray(String[]::new))
                .setParameter("now", now).getResultList());
    }

    /** Instructions whose outcome is still unknown: tried again from {@code next} on, with the error kept. */
    public Uni<Integer> retryLater(List<String> references, List<String> errors, OffsetDateTime next) {
        if (references.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payment_instruction i SET next_attempt_at = :next, answer = e.error
                        FROM unnest(CAST(:refs AS text[]), CAST(:errors AS text[])) AS e(reference, error)
                        WHERE i.reference = e.reference AND i.status = 'PENDING'""")
                .setParameter("refs", references.toArray(String[]::new))
                .setParameter("errors", errors.toArray(String[]::new)).setParameter("next", next).executeUpdate());
    }
}
