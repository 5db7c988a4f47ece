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
 * Holds, charges and voids are added here in the transaction that decides them ({@code Escrow},
 * {@code SettlementService}); payouts by the payout batch's own INSERT.
 */
@ApplicationScoped
public class PaymentInstructions {

    /** An instruction due to be sent (or asked about, after an earlier attempt). */
    public record Due(String reference, Kind kind, String orderId, UUID payoutId, String partyId, long amountFen,
                      String authorization, int attempts) {

        public PaymentChannel.Instruction instruction() {
            return new PaymentChannel.Instruction(reference, kind, partyId, amountFen, authorization);
        }
    }

    /**
     * An order's instruction to the channel about the resident's money: a HOLD, a VOID of a hold's
     * authorisation, or the CHARGE (reference = the order id, one per order, as on the channel's
     * statement) that captures the hold named by {@code authorization} or, without one, charges directly.
     */
    public record ForOrder(String reference, Kind kind, String orderId, String residentId, long amountFen, String authorization) {

        public static ForOrder charge(String orderId, String residentId, long amountFen, String authorization) {
            return new ForOrder(orderId, Kind.CHARGE, orderId, residentId, amountFen, authorization);
        }

        public static ForOrder hold(String reference, String orderId, String residentId, long amountFen) {
            return new ForOrder(reference, Kind.HOLD, orderId, residentId, amountFen, null);
        }

        public static ForOrder release(String authorization, String orderId, String residentId, long amountFen) {
            return new ForOrder("VOID-" + authorization, Kind.VOID, orderId, residentId, amountFen, authorization);
        }
    }

    /** Commits the instructions in the caller's transaction, each reference once. */
    public Uni<Integer> add(List<ForOrder> instructions, OffsetDateTime now) {
        if (instructions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO payment_instruction (reference, kind, order_id, party_id, amount_fen, authorization_ref,
                                                         next_attempt_at, created_at)
                        SELECT c.reference, c.kind, c.order_id, c.resident_id, c.amount, c.authorization_ref, :now, :now
                        FROM unnest(CAST(:refs AS text[]), CAST(:kinds AS text[]), CAST(:orders AS text[]),
                                    CAST(:residents AS text[]), CAST(:amounts AS bigint[]), CAST(:auths AS text[]))
                             WITH ORDINALITY AS c(reference, kind, order_id, resident_id, amount, authorization_ref, n)
                        ORDER BY c.n ON CONFLICT (reference) DO NOTHING""")
                .setParameter("refs", instructions.stream().map(ForOrder::reference).toArray(String[]::new))
                .setParameter("kinds", instructions.stream().map(i -> i.kind().name()).toArray(String[]::new))
                .setParameter("orders", instructions.stream().map(ForOrder::orderId).toArray(String[]::new))
                .setParameter("residents", instructions.stream().map(ForOrder::residentId).toArray(String[]::new))
                .setParameter("amounts", instructions.stream().map(ForOrder::amountFen).toArray(Long[]::new))
                .setParameter("auths", instructions.stream().map(ForOrder::authorization).toArray(String[]::new))
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
                        RETURNING i.reference, i.kind, i.order_id, i.payout_id, i.party_id, i.amount_fen, i.authorization_ref,
                                  i.attempts""", Tuple.class)
                .setParameter("now", now).setParameter("leasedUntil", now.plus(lease)).setParameter("limit", limit)
                .getResultList()))
                .map(rows -> rows.stream().map(r -> new Due(r.get("reference", String.class),
                        Kind.valueOf(r.get("kind", String.class)), r.get("order_id", String.class),
                        r.get("payout_id", UUID.class), r.get("party_id", String.class),
                        r.get("amount_fen", Number.class).longValue(), r.get("authorization_ref", String.class),
                        r.get("attempts", Number.class).intValue())).toList());
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
