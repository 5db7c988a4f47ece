package cn.jiujinbang.web;

import io.quarkus.qute.TemplateExtension;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How amounts and times read on a page: fen as ¥ with two decimals, times in Asia/Shanghai. */
@TemplateExtension
public class Formats {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    /** {@code {order.priceFen.yuan}} → ¥68.00 */
    static String yuan(Number fen) {
        long value = fen == null ? 0 : fen.longValue();
        String sign = value < 0 ? "-" : "";
        long abs = Math.abs(value);
        return sign + "¥" + (abs / 100) + "." + String.format("%02d", abs % 100);
    }

    /** {@code {order.createdAt.local}} → 11-30 18:05 (Asia/Shanghai) */
    static String local(String isoTime) {
        if (isoTime == null || isoTime.isBlank()) {
            return "";
        }
        try {
            return OffsetDateTime.parse(isoTime).atZoneSameInstant(SHANGHAI).format(SHORT);
        } catch (DateTimeParseException e) {
            return isoTime;
        }
    }

    /** {@code {t.word('status_', order.status)}}: the word for a code (the code itself when there is none). */
    static String word(java.util.Map<String, String> texts, String prefix, Object code) {
        String word = texts.get(prefix + code);
        return word == null ? String.valueOf(code) : word;
    }

    /** {@code {worker.rating.oneDecimal}} → 4.6 */
    static String oneDecimal(Number value) {
        return value == null ? "" : String.format(java.util.Locale.ROOT, "%.1f", value.doubleValue());
    }

    /** A bar's width in percent of the largest, for the finance charts. */
    static long percentOf(Number value, Number max) {
        return max == null || max.longValue() <= 0 || value == null ? 0 : Math.round(100.0 * value.longValue() / max.longValue());
    }
}
