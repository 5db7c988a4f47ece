package cn.jiujinbang.settlement.domain;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The payment channel's statement, as finance staff import it (CSV, header line first):
 * {@code channelTxnId,reference,type,amountFen,status,settledAt}. {@code type} is PAYOUT (reference =
 * payout reference) or CHARGE (reference = order id); {@code status} SUCCESS or FAILED;
 * {@code settledAt} ISO-8601 with offset. Parsing is strict: the first bad cell stops the import
 * with its line and column, and nothing is written.
 */
public record ChannelStatement(List<Line> lines) {

    public static final String HEADER = "channelTxnId,reference,type,amountFen,status,settledAt";
    /** A channel's day lies in these years; anything else is a corrupt line, not a payment. */
    static final int FIRST_YEAR = 2000;
    static final int LAST_YEAR = 2099;
    static final String[] COLUMNS = HEADER.split(",");

    public enum Type { PAYOUT, CHARGE }

    public enum Status { SUCCESS, FAILED }

    public record Line(int lineNumber, String channelTxnId, String reference, Type type, long amountFen, Status status,
                       OffsetDateTime settledAt) {
    }

    /** A statement that cannot be read: the line (1 = header) and column where it went wrong. */
    public static class FormatException extends RuntimeException {
        private final int line;
        private final String column;

        public FormatException(int line, String column, String message) {
            super("line " + line + (column == null ? "" : ", column " + column) + ": " + message);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public String column() {
            return column;
        }
    }

    public static ChannelStatement parse(String csv) {
        if (csv == null || csv.isBlank()) {
            throw new FormatException(1, null, "the statement is empty; the first line must be " + HEADER);
        }
        String[] rows = csv.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        String header = rows[0].startsWith("\uFEFF") ? rows[0].substring(1) : rows[0];
        if (!header.strip().equals(HEADER)) {
            throw new FormatException(1, null, "the header must be exactly " + HEADER);
        }
        List<Line> lines = new ArrayList<>();
        Set<String> txnIds = new HashSet<>();
        for (int i = 1; i < rows.length; i++) {
            int number = i + 1;
            if (rows[i].isBlank()) {
                if (i == rows.length - 1) {
                    continue; // the final newline
                }
                throw new FormatException(number, null, "empty line");
            }
            String[] cells = rows[i].split(",", -1);
            if (cells.length != COLUMNS.length) {
                throw new FormatException(number, null, "expected " + COLUMNS.length + " columns, found " + cells.length);
            }
            String txnId = required(cells[0].strip(), number, "channelTxnId");
            if (!txnIds.add(txnId)) {
                throw new FormatException(number, "channelTxnId", "duplicate channel transaction " + txnId);
            }
            String reference = required(cells[1].strip(), number, "reference");
            Type type = parseEnum(Type.class, cells[2].strip(), number, "type");
            long amount;
            try {
                amount = Long.parseLong(cells[3].strip());
            } catch (NumberFormatException e) {
                throw new FormatException(number, "amountFen", "not a whole number of fen: '" + cells[3] + "'");
            }
            if (amount < 0) {
                throw new FormatException(number, "amountFen", "must not be negative");
            }
            Status status = parseEnum(Status.class, cells[4].strip(), number, "status");
            OffsetDateTime settledAt;
            try {
                settledAt = OffsetDateTime.parse(cells[5].strip());
            } catch (DateTimeParseException e) {
                throw new FormatException(number, "settledAt", "not an ISO-8601 time with offset: '" + cells[5] + "'");
            }
            if (settledAt.getYear() < FIRST_YEAR || settledAt.getYear() > LAST_YEAR) {
                throw new FormatException(number, "settledAt", "must lie in the years " + FIRST_YEAR + " to " + LAST_YEAR
                        + ", not " + settledAt.getYear());
            }
            lines.add(new Line(number, txnId, reference, type, amount, status, settledAt));
        }
        if (lines.isEmpty()) {
            throw new FormatException(2, null, "the statement has no lines");
        }
        return new ChannelStatement(List.copyOf(lines));
    }

    private static String required(String value, int line, String column) {
        if (value.isEmpty()) {
            throw new FormatException(line, column, "must not be empty");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new FormatException(line, column, "must not contain control characters");
        }
        return value;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, int line, String column) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new FormatException(line, column, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", not '" + value + "'");
        }
    }
}
