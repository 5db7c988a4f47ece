package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static cn.jiujinbang.settlement.domain.DisputeResolution.Outcome.*;
import static org.junit.jupiter.api.Assertions.*;

class DisputeResolutionTests {

    private static final Money NET = Money.fen(9_200);
    private static final Money TAX = Money.fen(0);
    private static final Money FEE = Money.fen(800);
    private static final Money CHARGED = Money.fen(10_000);

    private static long sum(JournalTransaction tx) {
        return tx.lines().stream().mapToLong(l -> l.amount().fen()).sum();
    }

    @Test
    void aPartialRefundComesFromTheWorkersPayAndBalances() {
        DisputeResolution r = DisputeResolution.of(PARTIAL_REFUND, 1_234L, NET, TAX, FEE, CHARGED, false).resolution();
        assertEquals(1_234, r.refund().fen());
        assertEquals(1_234, r.fromWorker().fen());
        assertEquals(0, r.fromFee().fen() + r.fromTax().fen());
        JournalTransaction tx = r.posting("o-1", "w-1").orElseThrow();
        assertEquals(0, sum(tx));
        assertEquals(JournalKind.DISPUTE_REFUND, tx.kind());
    }

    @Test
    void aFullRefundGivesBackEverythingChargedAndBalances() {
        Money tax = Money.fen(300);
        DisputeResolution r = DisputeResolution.of(FULL_REFUND, null, Money.fen(8_900), tax, FEE, CHARGED, false).resolution();
        assertEquals(CHARGED, r.refund());
        assertEquals(CHARGED, r.fromWorker().plus(r.fromTax()).plus(r.fromFee()));
        assertEquals(0, sum(r.posting("o-1", "w-1").orElseThrow()));
    }

    @Test
    void payingInFullMovesNothingAndBadRefundsAreRefused() {
        assertTrue(DisputeResolution.of(PAY_IN_FULL, null, NET, TAX, FEE, CHARGED, true).resolution().posting("o", "w").isEmpty());
        assertNotNull(DisputeResolution.of(PAY_IN_FULL, 5L, NET, TAX, FEE, CHARGED, false).invalid());
        assertNotNull(DisputeResolution.of(PARTIAL_REFUND, 0L, NET, TAX, FEE, CHARGED, false).invalid());
        assertNotNull(DisputeResolution.of(PARTIAL_REFUND, NET.fen() + 1, NET, TAX, FEE, CHARGED, false).invalid());
        assertNotNull(DisputeResolution.of(PARTIAL_REFUND, null, NET, TAX, FEE, CHARGED, false).invalid());
        assertNotNull(DisputeResolution.of(FULL_REFUND, 5L, NET, TAX, FEE, CHARGED, false).invalid());
        assertNotNull(DisputeResolution.of(PARTIAL_REFUND, 100L, NET, TAX, FEE, CHARGED, true).conflict(), "paid out before");
    }
}
