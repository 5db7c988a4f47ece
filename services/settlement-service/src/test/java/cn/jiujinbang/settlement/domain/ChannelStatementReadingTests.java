package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** A statement read as it arrives: the same lines and fingerprint whatever the chunks and line breaks. */
class ChannelStatementReadingTests {

    private static final String LINES = "T1,PO-20261129-a,PAYOUT,6800,SUCCESS,2026-11-29T18:00:00+08:00\n"
            + "T2,0b7e,CHARGE,7344,FAILED,2026-11-29T10:00:00Z\n";

    /** A request body arriving a few characters at a time, as a network delivers it. */
    private static Reader trickling(String text, int chunk) {
        return new Reader() {
            private final StringReader in = new StringReader(text);

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                return in.read(buffer, offset, Math.min(length, chunk));
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    /** What the fingerprint was before statements were streamed: SHA-256 of the stripped text. */
    private static String strippedSha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.strip().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSameLinesWhateverTheChunksAndLineBreaks() throws Exception {
        ChannelStatement whole = ChannelStatement.parse(ChannelStatement.HEADER + "\n" + LINES);
        for (String breakWith : new String[] {"\n", "\r\n", "\r"}) {
            String csv = (ChannelStatement.HEADER + "\n" + LINES).replace("\n", breakWith);
            for (int chunk : new int[] {1, 2, 3, 7, 8192}) {
                ChannelStatement read = ChannelStatement.read(trickling(csv, chunk));
                assertEquals(whole.lines(), read.lines(), breakWith.replace("\r", "CR").replace("\n", "LF") + " in chunks of " + chunk);
            }
        }
    }

    @Test
    void theFingerprintIsTheOneStatementsImportedBeforeWereRecognisedBy() throws Exception {
        // leading and trailing white space (an ideographic space too), a BOM, Chinese in a reference,
        // a CR LF split across chunks: the fingerprint must stay what imports stored before streaming
        String[] files = {
                ChannelStatement.HEADER + "\n" + LINES,
                " \t" + ChannelStatement.HEADER + "\r\n" + LINES.replace("\n", "\r\n") + "\u3000 ",
                "\uFEFF" + ChannelStatement.HEADER + "\n" + LINES.replace("0b7e", "订单-0b7e"),
                ChannelStatement.HEADER + "\n" + LINES.strip(),
        };
        for (String file : files) {
            String expected = strippedSha256(file);
            assertEquals(expected, ChannelStatement.parse(file).sha256());
            for (int chunk : new int[] {1, 2, 5, 13}) {
                assertEquals(expected, ChannelStatement.read(trickling(file, chunk)).sha256(), "chunks of " + chunk);
            }
        }
        assertNotEquals(ChannelStatement.parse(files[0]).sha256(), ChannelStatement.parse(files[2]).sha256());
    }

    @Test
    void aLineWithoutEndIsRefusedAtItsLimitNotReadWhole() {
        // 64 MB without a line break would otherwise become one string
        Reader endless = new Reader() {
            private boolean headerSent;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (!headerSent) {
                    headerSent = true;
                    String header = ChannelStatement.HEADER + "\n";
                    header.getChars(0, header.length(), buffer, offset);
                    return header.length();
                }
                java.util.Arrays.fill(buffer, offset, offset + length, 'x');
                return length;
            }

            @Override
            public void close() {
            }
        };
        ChannelStatement.FormatException e = assertThrows(ChannelStatement.FormatException.class, () -> ChannelStatement.read(endless));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("longer than " + ChannelStatement.MAX_LINE_LENGTH), e.getMessage());
    }

    @Test
    void onlyTheLastLineMayBeBlank() {
        assertEquals(2, ChannelStatement.parse(ChannelStatement.HEADER + "\n" + LINES + "\n").lines().size());
        ChannelStatement.FormatException e = assertThrows(ChannelStatement.FormatException.class,
                () -> ChannelStatement.parse(ChannelStatement.HEADER + "\n\n" + LINES));
        assertEquals(2, e.line());
        assertThrows(ChannelStatement.FormatException.class, () -> ChannelStatement.parse(""));
        assertThrows(ChannelStatement.FormatException.class, () -> ChannelStatement.parse("  \n"));
        assertEquals(2, assertThrows(ChannelStatement.FormatException.class,
                () -> ChannelStatement.parse(ChannelStatement.HEADER + "\n")).line(), "a header alone has no lines");
    }
}
