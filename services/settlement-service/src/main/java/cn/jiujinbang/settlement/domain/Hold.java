package cn.jiujinbang.settlement.domain;

/**
 * An order's escrow: the resident's price + fee authorised and held by the payment channel from
 * posting until the order is settled or cancelled (docs/settlement.md, "Escrow"). This record says
 * what each step does to the hold; {@code payments.Escrow} stores it and carries the effects out.
 * <pre>
 * PENDING --held--> HELD --collect(all)--> CAPTURED
 *    |                 |--collect(part)--> PARTIALLY_CAPTURED (the rest released)
 *    |--refused--> FAILED                 |--release--> VOIDED
 *                      |--renewal refused--> FAILED (the held amount lapses)
 * </pre>
 * A hold is asked for once per authorisation reference; renewing one before it expires asks for a
 * new authorisation and, once that is held, releases the old one.
 */
public record Hold(String orderId, String residentId, Money amount, Status status, String authorization, String renewal,
                   boolean voidRequested) {

    public enum Status { PENDING, HELD, CAPTURED, PARTIALLY_CAPTURED, VOIDED, FAILED }

    /** What becomes of the hold when it is answered. */
    public enum Signal { NONE, HELD, FAILED }

    /**
     * The effect of a step: the hold's next state, money newly held (a HOLD posting), captured (a
     * HOLD_CAPTURED posting) or released (HOLD_VOIDED), the authorisation to void at the channel, and
     * what to tell the other services.
     */
    public record Effect(Hold next, Money held, Money captured, Money released, String voidAuthorization, Signal signal,
                         boolean freshAuthorization) {

        static Effect none(Hold hold) {
            return new Effect(hold, Money.ZERO, Money.ZERO, Money.ZERO, null, Signal.NONE, false);
        }
    }

    /** The reference of the {@code n}-th authorisation asked for this order (1 at posting, then renewals). */
    public static String authorizationReference(String orderId, int n) {
        return "HOLD-" + orderId + "-" + n;
    }

    public static Hold asked(String orderId, String residentId, Money amount) {
        return new Hold(orderId, residentId, amount, Status.PENDING, authorizationReference(orderId, 1), null, false);
    }

    private Hold with(Status status, String authorization, String renewal, boolean voidRequested) {
        return new Hold(orderId, residentId, amount, status, authorization, renewal, voidRequested);
    }

    /**
     * Collecting the order's charge (its settlement or a late cancellation's compensation): a held
     * hold is captured for the charge and the rest released; without a usable hold the charge is
     * collected directly ({@link Effect#voidAuthorization()} null, nothing captured), and a hold still
     * being asked for is released as soon as it is held.
     */
    public Effect collect(Money charged) {
        if (canCapture(charged)) {
            Money rest = amount.minus(charged);
            return new Effect(with(rest.fen() == 0 ? Status.CAPTURED : Status.PARTIALLY_CAPTURED, authorization, renewal, false),
                    Money.ZERO, charged, rest, null, Signal.NONE, false);
        }
        return release();
    }

    /** The authorisation a collection captures: the one in force when the hold is held, else none (a direct charge). */
    public String captures(Money charged) {
        return canCapture(charged) ? authorization : null;
    }

    private boolean canCapture(Money charged) {
        return status == Status.HELD && charged.fen() > 0 && charged.fen() <= amount.fen();
    }

    /** The order was cancelled before anything was captured: the whole hold is released. */
    public Effect release() {
        return switch (status) {
            case HELD -> new Effect(with(Status.VOIDED, authorization, renewal, false), Money.ZERO, Money.ZERO, amount,
                    authorization, Signal.NONE, false);
            case PENDING -> Effect.none(with(Status.PENDING, authorization, renewal, true));
            default -> Effect.none(this);
        };
    }

    /** A renewal asked for before the authorisation expires: the {@code n}-th authorisation. */
    public Hold renewing(int n) {
        return with(status, authorization, authorizationReference(orderId, n), voidRequested);
    }

    /** The channel answered the hold instruction {@code reference}. */
    public Effect answered(String reference, boolean succeeded) {
        if (reference.equals(authorization) && status == Status.PENDING) {
            if (!succeeded) {
                return new Effect(with(Status.FAILED, authorization, null, false), Money.ZERO, Money.ZERO, Money.ZERO, null,
                        Signal.FAILED, false);
            }
            if (voidRequested) { // cancelled while the channel was asked: held, then released at once
                return new Effect(with(Status.VOIDED, authorization, null, false), amount, Money.ZERO, amount, authorization,
                        Signal.NONE, false);
            }
            return new Effect(with(Status.HELD, authorization, null, false), amount, Money.ZERO, Money.ZERO, null,
                    Signal.HELD, true);
        }
        if (reference.equals(renewal)) {
            if (status != Status.HELD) { // captured or released meanwhile: the new authorisation is not needed
                return new Effect(with(status, authorization, null, voidRequested), Money.ZERO, Money.ZERO, Money.ZERO,
                        succeeded ? reference : null, Signal.NONE, false);
            }
            if (succeeded) { // the new authorisation replaces the old one, which is released
                return new Effect(with(Status.HELD, reference, null, false), Money.ZERO, Money.ZERO, Money.ZERO, authorization,
                        Signal.NONE, true);
            }
            // the old authorisation lapses: the order cannot be worked on held money any more
            return new Effect(with(Status.FAILED, authorization, null, false), Money.ZERO, Money.ZERO, amount, null,
                    Signal.FAILED, false);
        }
        return Effect.none(this);
    }
}
