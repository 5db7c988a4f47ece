package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HoldTests {

    private static final Money HELD = Money.fen(10_800);

    private static Hold held() {
        Hold asked = Hold.asked("o-1", "r-1", HELD);
        return asked.answered(asked.authorization(), true).next();
    }

    @Test
    void aHoldIsAskedUnderItsFirstAuthorisationAndHeldWhenTheChannelSaysSo() {
        Hold asked = Hold.asked("o-1", "r-1", HELD);
        assertEquals("HOLD-o-1-1", asked.authorization());
        assertEquals(Hold.Status.PENDING, asked.status());
        Hold.Effect effect = asked.answered("HOLD-o-1-1", true);
        assertEquals(Hold.Status.HELD, effect.next().status());
        assertEquals(HELD, effect.held());
        assertEquals(Hold.Signal.HELD, effect.signal());
        assertTrue(effect.freshAuthorization());
    }

    @Test
    void aRefusedHoldFailsAndHoldsNothing() {
        Hold.Effect effect = Hold.asked("o-1", "r-1", HELD).answered("HOLD-o-1-1", false);
        assertEquals(Hold.Status.FAILED, effect.next().status());
        assertEquals(Money.ZERO, effect.held());
        assertEquals(Hold.Signal.FAILED, effect.signal());
    }

    @Test
    void collectingTheWholeAmountCapturesTheHold() {
        Hold hold = held();
        assertEquals("HOLD-o-1-1", hold.captures(HELD));
        Hold.Effect effect = hold.collect(HELD);
        assertEquals(Hold.Status.CAPTURED, effect.next().status());
        assertEquals(HELD, effect.captured());
        assertEquals(Money.ZERO, effect.released());
        assertNull(effect.voidAuthorization(), "a full capture leaves nothing to release");
    }

    @Test
    void collectingACompensationCapturesPartAndReleasesTheRest() {
        Hold.Effect effect = held().collect(Money.fen(2_000));
        assertEquals(Hold.Status.PARTIALLY_CAPTURED, effect.next().status());
        assertEquals(Money.fen(2_000), effect.captured());
        assertEquals(Money.fen(8_800), effect.released());
        assertNull(effect.voidAuthorization(), "a partial capture releases the rest at the channel itself");
    }

    @Test
    void collectingMoreThanIsHeldChargesDirectlyAndReleasesTheHold() {
        Hold hold = held();
        assertNull(hold.captures(Money.fen(20_000)));
        Hold.Effect effect = hold.collect(Money.fen(20_000));
        assertEquals(Hold.Status.VOIDED, effect.next().status());
        assertEquals(HELD, effect.released());
        assertEquals("HOLD-o-1-1", effect.voidAuthorization());
    }

    @Test
    void releasingAHeldHoldVoidsItsAuthorisation() {
        Hold.Effect effect = held().release();
        assertEquals(Hold.Status.VOIDED, effect.next().status());
        assertEquals(HELD, effect.released());
        assertEquals("HOLD-o-1-1", effect.voidAuthorization());
    }

    @Test
    void aHoldCancelledWhileTheChannelIsAskedIsReleasedAsSoonAsItIsHeld() {
        Hold.Effect cancelled = Hold.asked("o-1", "r-1", HELD).release();
        assertEquals(Hold.Status.PENDING, cancelled.next().status());
        assertTrue(cancelled.next().voidRequested());
        assertNull(cancelled.voidAuthorization(), "nothing to release before the channel holds it");
        Hold.Effect answered = cancelled.next().answered("HOLD-o-1-1", true);
        assertEquals(Hold.Status.VOIDED, answered.next().status());
        assertEquals(HELD, answered.held());
        assertEquals(HELD, answered.released());
        assertEquals("HOLD-o-1-1", answered.voidAuthorization());
        assertEquals(Hold.Signal.NONE, answered.signal(), "matching must not offer a cancelled order");
    }

    @Test
    void aRenewalReplacesTheAuthorisationAndReleasesTheOldOne() {
        Hold renewing = held().renewing(2);
        assertEquals("HOLD-o-1-2", renewing.renewal());
        Hold.Effect effect = renewing.answered("HOLD-o-1-2", true);
        assertEquals(Hold.Status.HELD, effect.next().status());
        assertEquals("HOLD-o-1-2", effect.next().authorization());
        assertNull(effect.next().renewal());
        assertEquals("HOLD-o-1-1", effect.voidAuthorization());
        assertEquals(Money.ZERO, effect.held(), "the amount held does not change");
        assertTrue(effect.freshAuthorization());
    }

    @Test
    void aRefusedRenewalLetsTheHoldLapseAndTellsTheOrder() {
        Hold.Effect effect = held().renewing(2).answered("HOLD-o-1-2", false);
        assertEquals(Hold.Status.FAILED, effect.next().status());
        assertEquals(HELD, effect.released());
        assertEquals(Hold.Signal.FAILED, effect.signal());
    }

    @Test
    void aRenewalAnsweredAfterTheHoldWasCapturedIsReleasedAtOnce() {
        Hold captured = held().renewing(2).collect(HELD).next();
        Hold.Effect effect = captured.answered("HOLD-o-1-2", true);
        assertEquals(Hold.Status.CAPTURED, effect.next().status());
        assertEquals("HOLD-o-1-2", effect.voidAuthorization());
        assertNull(effect.next().renewal());
    }

    @Test
    void anAnswerForAnotherReferenceChangesNothing() {
        Hold hold = held();
        Hold.Effect effect = hold.answered("HOLD-o-1-1", true); // the same answer again
        assertEquals(hold, effect.next());
        assertEquals(Money.ZERO, effect.held());
    }
}
