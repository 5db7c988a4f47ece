package cn.jiujinbang.settlement.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the channel's statement with what the ledger expects the channel to have done.
 * Each statement line is, in this order of precedence: unknown to the ledger (no such reference),
 * an amount mismatch, a status mismatch (the statement's status is not the ledger's: failed what the
 * ledger sent, or made what the channel had answered failed), or matched (a failure both agree on
 * matches too).
 * Each expected item without a line is missing from the statement.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /**
     * What the ledger expects on the statement: a payout or charge, and its status in the ledger:
     * {@code SENT} (made, as far as the platform knows) or {@code FAILED} (the channel answered failed).
     */
    public record Expected(String reference, ChannelStatement.Type type, long amountFen, String status) {

        public Expected(String reference, ChannelStatement.Type type, long amountFen) {
            this(reference, type, amountFen, SENT);
        }

        boolean failed() {
            return FAILED.equals(status);
        }
    }

    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";

    public record Finding(String reference, ChannelStatement.Type type, Long ledgerAmountFen, Long statementAmountFen,
                          String ledgerStatus, String statementStatus, String channelTxnId) {
    }

    public record Result(List<Finding> matched, List<Finding> missingInStatement, List<Finding> unknownInLedger,
                         List<Finding> amountMismatches, List<Finding> statusMismatches) {

        public boolean clean() {
            return missingInStatement.isEmpty() && unknownInLedger.isEmpty() && amountMismatches.isEmpty()
                    && statusMismatches.isEmpty();
        }
    }

    public static Result reconcile(List<Expected> expected, ChannelStatement statement) {
        Map<String, Expected> byKey = new HashMap<>();
        for (Expected e : expected) {
            byKey.put(key(e.type(), e.reference()), e);
        }
        List<Finding> matched = new ArrayList<>();
        List<Finding> unknown = new ArrayList<>();
        List<Finding> amounts = new ArrayList<>();
        List<Finding> statuses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChannelStatement.Line line : statement.lines()) {
            String key = key(line.type(), line.reference());
            Expected e = byKey.get(key);
            if (e == null || !seen.add(key)) {
                unknown.add(new Finding(line.reference(), line.type(), null, line.amountFen(), null,
                        line.status().name(), line.channelTxnId()));
            } else if (e.amountFen() != line.amountFen()) {
                amounts.add(new Finding(e.reference(), e.type(), e.amountFen(), line.amountFen(), e.status(),
                        line.status().name(), line.channelTxnId()));
            } else if ((line.status() == ChannelStatement.Status.FAILED) != e.failed()) {
                statuses.add(new Finding(e.reference(), e.type(), e.amountFen(), line.amountFen(), e.status(),
                        line.status().name(), line.channelTxnId()));
            } else {
                matched.add(new Finding(e.reference(), e.type(), e.amountFen(), line.amountFen(), e.status(),
                        line.status().name(), line.channelTxnId()));
            }
        }
        List<Finding> missing = expected.stream().filter(e -> !seen.contains(key(e.type(), e.reference())))
                .map(e -> new Finding(e.reference(), e.type(), e.amountFen(), null, e.status(), null, null)).toList();
        return new Result(matched, missing, unknown, amounts, statuses);
    }

    private static String key(ChannelStatement.Type type, String reference) {
        return type + ":" + reference;
    }
}
