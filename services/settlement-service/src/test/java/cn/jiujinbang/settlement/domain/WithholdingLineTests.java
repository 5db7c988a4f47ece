package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WithholdingLineTests {

    private final TaxRegime regime = TaxRegime.of(new CumulativeWithholding());

    @Test
    void aReturnLineIsCumulativeOverTheRunOfConsecutiveMonths() {
        YearIncome year = new YearIncome();
        year.add(1, yuan(20_000), yuan(330));
        year.add(2, yuan(2_000), yuan(0));
        WithholdingLine feb = WithholdingLine.of("w-1", YearMonth.of(2026, 2), regime, year);
        assertEquals(2, feb.consecutiveMonths());
        assertEquals(yuan(2_000).fen(), feb.monthIncomeFen());
        assertEquals(yuan(22_000).fen(), feb.incomeFen());
        assertEquals(yuan(4_400).fen(), feb.expensesFen());
        assertEquals(yuan(10_000).fen(), feb.deductionFen());
        assertEquals(yuan(7_600).fen(), feb.taxableFen());
        assertEquals(yuan(330).fen(), feb.taxFen(), "tax withheld in the run so far");
    }

    @Test
    void aGapStartsTheReturnsFiguresAfresh() {
        // Jan 2,000; no Feb; Mar 20,000 → March's line is a first month: 330.00 withheld
        YearIncome year = new YearIncome();
        year.add(1, yuan(2_000), Money.ZERO);
        year.add(3, yuan(20_000), yuan(330));
        WithholdingLine mar = WithholdingLine.of("w-1", YearMonth.of(2026, 3), regime, year);
        assertEquals(1, mar.consecutiveMonths());
        assertEquals(yuan(20_000).fen(), mar.incomeFen());
        assertEquals(yuan(11_000).fen(), mar.taxableFen());
        assertEquals(yuan(330).fen(), mar.taxFen());
        assertEquals("w-1,2026-03,cumulative-2025-16,1,2000000,33000,2000000,400000,500000,1100000,33000", mar.csv());
    }

    @Test
    void aMonthBeforeOctober2025IsReturnedPerPayment() {
        YearIncome year = new YearIncome();
        year.add(9, yuan(3_000), yuan(440));
        WithholdingLine sep = WithholdingLine.of("w-1", YearMonth.of(2025, 9), regime, year);
        assertEquals(PerPaymentWithholding.NAME, sep.taxRule());
        assertEquals(yuan(800).fen(), sep.expensesFen());
        assertEquals(0, sep.deductionFen());
        assertEquals(yuan(2_200).fen(), sep.taxableFen());
        assertEquals(yuan(440).fen(), sep.taxFen());
    }

    @Test
    void aCsvCellIsQuotedAndNeverAFormula() {
        assertEquals("'=cmd|x", Csv.cell("=cmd|x"));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("w-1", Csv.cell("w-1"));
    }
}
