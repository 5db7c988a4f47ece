package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * One money movement: lines on accounts that sum to zero (debits positive, credits negative).
 * Built by {@link Postings} through {@link #builder}, which refuses an unbalanced or empty transaction; the database
 * checks the same again at commit. Journal lines are never changed: a correction is a new,
 * reversing transaction.
 */
public record JournalTransaction(JournalKind kind, String orderId, String description, YearMonth taxPeriod, List<Line> lines) {

    public record Line(String accountCode, Money amount) {
    }

    public JournalTransaction {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a journal transaction needs lines");
        }
        Money sum = lines.stream().map(Line::amount).reduce(Money.ZERO, Money::plus);
        if (sum.fen() != 0) {
            throw new IllegalArgumentException("unbalanced journal transaction (" + kind + "): lines sum to " + sum.fen() + " fen");
        }
    }

    static Builder builder(JournalKind kind, String orderId, String description) {
        return new Builder(kind, orderId, description);
    }

    /** The transaction that undoes this one. */
    public JournalTransaction reversal(String why) {
        return new JournalTransaction(JournalKind.REVERSAL, orderId, why + " (reverses " + kind + ")", taxPeriod,
                lines.stream().map(l -> new Line(l.accountCode(), l.amount().negate())).toList());
    }

    public static final class Builder {
        private final JournalKind kind;
        private final String orderId;
        private final String description;
        private final List<Line> lines = new ArrayList<>();
        private YearMonth taxPeriod;

        private Builder(JournalKind kind, String orderId, String description) {
            this.kind = kind;
            this.orderId = orderId;
            this.description = description;
        }

        /** The tax month of income this transaction books (a settlement's or compensation's). */
        public Builder taxPeriod(YearMonth month) {
            this.taxPeriod = month;
            return this;
        }

        public Builder debit(String account, Money amount) {
            return line(account, amount);
        }

        public Builder credit(String account, Money amount) {
            return line(account, amount.negate());
        }

        private Builder line(String account, Money amount) {
            if (amount.fen() != 0) { // a zero line (no tax due) says nothing
                lines.add(new Line(account, amount));
            }
            return this;
        }

        public JournalTransaction build() {
            return new JournalTransaction(kind, orderId, description, taxPeriod, lines);
        }
    }
}
