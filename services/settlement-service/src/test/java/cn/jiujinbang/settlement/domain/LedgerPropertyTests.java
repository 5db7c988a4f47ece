package cn.jiujinbang.settlement.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerPropertyTests {

    private static final List<TaxRule> RULES = List.of(new CumulativeWithholding(), new PerPaymentWithholding());

    @Provide
    Arbitrary<IncomeToDate> incomeToDate() {
        Arbitrary<Long> fen = Arbitraries.longs().between(0, 200_000_000L);
        return Combinators.combine(fen, fen, Arbitraries.integers().between(1, 12), fen, fen)
                .as((yi, yt, m, mi, mt) -> new IncomeToDate(Money.fen(yi), Money.fen(yt), m, Money.fen(mi), Money.fen(mt)));
    }

    @Property(tries = 2000)
    void everySettlementBalancesAndChargedIsNetPlusTaxPlusFee(
            @ForAll @LongRange(min = 0, max = 50_000_000L) long grossFen,
            @ForAll @LongRange(min = 0, max = 5_000_000L) long feeFen,
            @ForAll("incomeToDate") IncomeToDate before,
            @ForAll @IntRange(min = 0, max = 1) int ruleIndex) {
        SettlementCalculation s = SettlementCalculation.of(Money.fen(grossFen), Money.fen(feeFen), RULES.get(ruleIndex), before);
        assertEquals(s.charged(), s.net().plus(s.tax()).plus(s.serviceFee()));
        assertTrue(s.tax().fen() >= 0 && s.tax().compareTo(s.gross()) <= 0, "0 <= tax <= gross");
        if (grossFen + feeFen > 0) {
            JournalTransaction tx = Postings.settlement(false, "o-1", "w-1", java.time.YearMonth.of(2026, 3), s);
            assertEquals(0, tx.lines().stream().mapToLong(l -> l.amount().fen()).sum());
            assertEquals(0, tx.reversal("test").lines().stream().mapToLong(l -> l.amount().fen()).sum());
        }
    }

    @Property(tries = 500)
    void anUnbalancedTransactionIsRefused(@ForAll @LongRange(min = 1, max = 1_000_000) long a,
                                          @ForAll @LongRange(min = 1, max = 1_000_000) long b) {
        boolean refused = false;
        try {
            JournalTransaction.builder(JournalKind.REVERSAL, null, "x").debit("1000", Money.fen(a)).credit("2200", Money.fen(b)).build();
        } catch (IllegalArgumentException e) {
            refused = true;
        }
        assertEquals(a != b, refused);
    }
}
