package cn.jiujinbang.settlement.channel;

import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;

/**
 * The outside payment provider (the third-party channel that collects residents' money and pays
 * workers). Only {@code PaymentSender} calls it, never inside a database transaction, for an
 * instruction the platform committed first (docs/settlement.md, "Payment instructions").
 * <p>
 * The contract an implementation must keep: the instruction's {@code reference} is the provider's
 * idempotency key, so sending the same reference again never moves money again and answers what the
 * first call did; {@link #status} tells what the provider did with a reference, or that it never
 * received it. A call that fails or times out means "unknown": the sender asks {@link #status}
 * before it sends again. A real provider implements this as an {@code @Alternative} bean; the
 * simulator is the default.
 */
public interface PaymentChannel {

    /**
     * HOLD authorises and holds a resident's money (escrow); CHARGE collects it, capturing the named
     * authorisation when there is one (a smaller amount captures part and releases the rest); VOID
     * releases an authorisation; PAYOUT pays a worker.
     */
    enum Kind { HOLD, CHARGE, VOID, PAYOUT }

    /**
     * Move {@code amountFen} for the party; {@code authorization} is the reference of the HOLD that a
     * CHARGE captures or a VOID releases ({@code null} otherwise).
     */
    record Instruction(String reference, Kind kind, String partyId, long amountFen, String authorization) {

        public Instruction(String reference, Kind kind, String partyId, long amountFen) {
            this(reference, kind, partyId, amountFen, null);
        }
    }

    enum Outcome { SUCCEEDED, FAILED }

    /** What the provider did: its transaction id, and why when it failed. */
    record Answer(Outcome outcome, String channelTxnId, String reason) {
    }

    /** Carries out the instruction once per reference and answers what was done. */
    Uni<Answer> send(Instruction instruction);

    /** The answer the provider gave for {@code reference}, or {@code null} when it never received it. */
    Uni<Answer> status(Kind kind, String reference);

    /**
     * Sends several instructions (a provider's batch API, where it has one); the answers are in the
     * same order, an element {@code null} when that instruction's outcome is unknown. By default
     * one {@link #send} after the other.
     */
    default Uni<List<Answer>> sendAll(List<Instruction> instructions) {
        Uni<List<Answer>> all = Uni.createFrom().item(new ArrayList<>(instructions.size()));
        for (Instruction instruction : instructions) {
            all = all.chain(answers -> send(instruction).onFailure().recoverWithNull().map(a -> {
                answers.add(a);
                return answers;
            }));
        }
        return all;
    }
}
