package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static cn.jiujinbang.settlement.domain.ChannelStatement.Type.CHARGE;
import static cn.jiujinbang.settlement.domain.ChannelStatement.Type.PAYOUT;
import static org.junit.jupiter.api.Assertions.*;

class ReconciliationTests {

    private static final String HEADER = ChannelStatement.HEADER + "\n";

    @Test
    void parsesAWellFormedStatement() {
        ChannelStatement s = ChannelStatement.parse(HEADER
                + "T1,PO-20261129-a,PAYOUT,6800,SUCCESS,2026-11-29T18:00:00+08:00\n"
                + "T2,0b7e,CHARGE,7344,FAILED,2026-11-29T10:00:00Z\n");
        assertEquals(2, s.lines().size());
        assertEquals(PAYOUT, s.lines().get(0).type());
        assertEquals(7344, s.lines().get(1).amountFen());
        assertEquals(ChannelStatement.Status.FAILED, s.lines().get(1).status());
    }

    @Test
    void namesTheLineAndColumnOfTheFirstBadCell() {
        assertFormat(HEADER + "T1,PO-1,PAYOUT,68.00,SUCCESS,2026-11-29T18:00:00+08:00\n", 2, "amountFen");
        assertFormat(HEADER + "T1,PO-1,PAYOUT,6800,SUCCESS,2026-11-29T18:00:00+08:00\nT2,PO-2,REFUND,1,SUCCESS,2026-11-29T18:00:00+08:00\n", 3, "type");
        assertFormat(HEADER + "T1,PO-1,PAYOUT,6800,OK,2026-11-29T18:00:00+08:00\n", 2, "status");
        assertFormat(HEADER + "T1,PO-1,PAYOUT,6800,SUCCESS,yesterday\n", 2, "settledAt");
        // found by make fuzz: a time PostgreSQL cannot store was a 500, a NUL in a reference too
        assertFormat(HEADER + "T1,PO-1,CHARGE,100,SUCCESS,+999999999-12-31T23:59:59Z\n", 2, "settledAt");
        assertFormat(HEADER + "T1,PO-\u0000,PAYOUT,6800,SUCCESS,2026-11-29T18:00:00+08:00\n", 2, "reference");
        assertFormat(HEADER + "T1,,PAYOUT,6800,SUCCESS,2026-11-29T18:00:00+08:00\n", 2, "reference");
        assertFormat(HEADER + "T1,PO-1,PAYOUT,6800,SUCCESS\n", 2, null);
        assertFormat("reference,amount\nPO-1,1\n", 1, null);
        assertFormat(HEADER + "T1,PO-1,PAYOUT,1,SUCCESS,2026-11-29T18:00:00+08:00\nT1,PO-2,PAYOUT,1,SUCCESS,2026-11-29T18:00:00+08:00\n", 3, "channelTxnId");
    }

    private static void assertFormat(String csv, int line, String column) {
        ChannelStatement.FormatException e = assertThrows(ChannelStatement.FormatException.class, () -> ChannelStatement.parse(csv));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
    }

    @Test
    void reportsEachKindOfFindingOnce() {
        List<Reconciliation.Expected> ledger = List.of(
                new Reconciliation.Expected("PO-ok", PAYOUT, 1000),
                new Reconciliation.Expected("PO-altered", PAYOUT, 2000),
                new Reconciliation.Expected("PO-failed", PAYOUT, 3000),
                new Reconciliation.Expected("PO-missing", PAYOUT, 4000),
                new Reconciliation.Expected("order-1", CHARGE, 5000));
        ChannelStatement statement = ChannelStatement.parse(HEADER
                + "T1,PO-ok,PAYOUT,1000,SUCCESS,2026-11-29T18:00:00+08:00\n"
                + "T2,PO-altered,PAYOUT,2100,SUCCESS,2026-11-29T18:00:00+08:00\n"
                + "T3,PO-failed,PAYOUT,3000,FAILED,2026-11-29T18:00:00+08:00\n"
                + "T4,PO-nobody,PAYOUT,9,SUCCESS,2026-11-29T18:00:00+08:00\n"
                + "T5,order-1,CHARGE,5000,SUCCESS,2026-11-29T18:00:00+08:00\n");
        Reconciliation.Result r = Reconciliation.reconcile(ledger, statement);
        assertEquals(List.of("PO-ok", "order-1"), r.matched().stream().map(Reconciliation.Finding::reference).toList());
        assertEquals(List.of("PO-altered"), r.amountMismatches().stream().map(Reconciliation.Finding::reference).toList());
        assertEquals(2100L, r.amountMismatches().get(0).statementAmountFen());
        assertEquals(List.of("PO-failed"), r.statusMismatches().stream().map(Reconciliation.Finding::reference).toList());
        assertEquals(List.of("PO-nobody"), r.unknownInLedger().stream().map(Reconciliation.Finding::reference).toList());
        assertEquals(List.of("PO-missing"), r.missingInStatement().stream().map(Reconciliation.Finding::reference).toList());
        assertFalse(r.clean());
    }
}
