package cn.jiujinbang.settlement.domain;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The payment channel's statement, as finance staff import it (CSV, header line first):
 * {@code channelTxnId,reference,type,amountFen,status,settledAt}. {@code type} is PAYOUT (reference =
 * payout reference) or CHARGE (reference = order id); {@code status} SUCCESS or FAILED;
 * {@code settledAt} ISO-8601 with offset. Parsing is strict: the first bad cell stops the import
 * with its line and column, and nothing is written. {@code sha256} is the file's fingerprint
 * ({@link Fingerprint}), by which an import is recognised again.
 */
public record ChannelStatement(List<Line> lines, String sha256) {

    public static final String HEADER = "channelTxnId,reference,type,amountFen,status,settledAt";
    /** A channel's day lies in these years; anything else is a corrupt line, not a payment. */
    static final int FIRST_YEAR = 2000;
    static final int LAST_YEAR = 2099;
    static final String[] COLUMNS = HEADER.split(",");
    /** Six cells of a channel's line fit many times over; a longer one is not a statement line. */
    public static final int MAX_LINE_LENGTH = 1_000;

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
        try {
            return read(new StringReader(csv == null ? "" : csv));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a string cannot fail to read
        }
    }

    /**
     * Reads a statement as it arrives, a line at a time: the file itself is never held, only the
     * lines parsed from it (a city's day, 200,000 lines of 22 MB, is about 60 MB of lines). Its
     * {@link #sha256() fingerprint} is taken on the way.
     */
    public static ChannelStatement read(Reader csv) throws IOException {
        Fingerprint fingerprint = new Fingerprint();
        LineReader rows = new LineReader(csv, fingerprint);
        String first = rows.next(1);
        if (first == null || (first.isBlank() && rows.atEnd())) {
            throw new FormatException(1, null, "the statement is empty; the first line must be " + HEADER);
        }
        String header = first.startsWith("\uFEFF") ? first.substring(1) : first;
        if (!header.strip().equals(HEADER)) {
            throw new FormatException(1, null, "the header must be exactly " + HEADER);
        }
        List<Line> lines = new ArrayList<>();
        Set<String> txnIds = new HashSet<>();
        int blank = 0; // a blank line is only allowed as the last one
        for (int number = 2; ; number++) {
            String row = rows.next(number);
            if (row == null) {
                break;
            }
            if (blank != 0) {
                throw new FormatException(blank, null, "empty line");
            }
            if (row.isBlank()) {
                blank = number;
                continue;
            }
            lines.add(line(row, number, txnIds));
        }
        if (lines.isEmpty()) {
            throw new FormatException(2, null, "the statement has no lines");
        }
        return new ChannelStatement(List.copyOf(lines), fingerprint.hex());
    }

    private static Line line(String row, int number, Set<String> txnIds) {
        String[] cells = row.split(",", -1);
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
        return new Line(number, txnId, reference, type, amount, status, settledAt);
    }

    /**
     * The lines of the file (ended by LF, CR LF or CR), each at most {@link #MAX_LINE_LENGTH}
     * characters: a file without line breaks is refused at its first kilobyte, not read whole.
     */
    private static final class LineReader {
        private final Reader in;
        private final Fingerprint fingerprint;
        private final char[] buffer = new char[8192];
        private int position;
        private int limit;
        private boolean ended;
        private boolean skipLineFeed;

        LineReader(Reader in, Fingerprint fingerprint) {
            this.in = in;
            this.fingerprint = fingerprint;
        }

        /** The next line without its break, or null at the end of the file. */
        String next(int number) throws IOException {
            StringBuilder line = null;
            while (true) {
                if (position == limit && !fill()) {
                    return line == null ? null : line.toString();
                }
                char c = buffer[position++];
                if (skipLineFeed) {
                    skipLineFeed = false;
                    if (c == '\n') {
                        continue; // CR LF is one break
                    }
                }
                if (line == null) {
                    line = new StringBuilder(128);
                }
                if (c == '\n' || c == '\r') {
                    skipLineFeed = c == '\r';
                    return line.toString();
                }
                if (line.length() == MAX_LINE_LENGTH) {
                    throw new FormatException(number, null, "longer than " + MAX_LINE_LENGTH + " characters");
                }
                line.append(c);
            }
        }

        boolean atEnd() throws IOException {
            return position == limit && !fill();
        }

        private boolean fill() throws IOException {
            if (ended) {
                return false;
            }
            int read = in.read(buffer, 0, buffer.length);
            if (read < 0) {
                ended = true;
                fingerprint.end();
                return false;
            }
            fingerprint.add(buffer, read);
            position = 0;
            limit = read;
            return true;
        }
    }

    /**
     * SHA-256 of the file's text without leading and trailing white space, as UTF-8: the same file
     * imported again (or with a different trailing newline) is recognised and answered with its
     * first report. Trailing white space is held back until something follows it.
     */
    static final class Fingerprint {
        private final MessageDigest digest;
        private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
        private final StringBuilder heldWhiteSpace = new StringBuilder();
        private final ByteBuffer bytes = ByteBuffer.allocate(8192 * 3 + 16);
        private boolean started;
        private String hex;

        Fingerprint() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static String of(String text) {
            Fingerprint f = new Fingerprint();
            char[] chars = text.toCharArray();
            f.add(chars, chars.length);
            f.end();
            return f.hex();
        }

        void add(char[] chars, int length) {
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                char c = chars[i];
                if (Character.isWhitespace(c)) {
                    if (started) {
                        heldWhiteSpace.append(c);
                    }
                } else {
                    started = true;
                    if (!heldWhiteSpace.isEmpty()) {
                        out.append(heldWhiteSpace);
                        heldWhiteSpace.setLength(0);
                    }
                    out.append(c);
                }
            }
            encode(CharBuffer.wrap(out), false);
        }

        void end() {
            if (hex == null) {
                encode(CharBuffer.allocate(0), true);
                utf8.flush(bytes);
                drain();
                hex = HexFormat.of().formatHex(digest.digest());
            }
        }

        String hex() {
            return hex;
        }

        private void encode(CharBuffer chars, boolean last) {
            while (true) {
                CoderResult result = utf8.encode(chars, bytes, last);
                drain();
                if (!result.isOverflow()) {
                    return;
                }
            }
        }

        private void drain() {
            bytes.flip();
            digest.update(bytes);
            bytes.clear();
        }
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
