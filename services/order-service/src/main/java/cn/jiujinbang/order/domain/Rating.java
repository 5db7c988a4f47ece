package cn.jiujinbang.order.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resident's rating of the worker who did their order: 1 to 5 whole stars and an optional comment
 * of at most 500 characters, given once, after the resident confirmed (or the order was confirmed
 * for them), so "done" is settled before anyone is judged.
 */
public record Rating(int stars, String comment) {

    public static final int MAX_COMMENT = 500;

    /** What is wrong with a rating as sent: field → reason (empty when it is fine). */
    public static Map<String, String> problems(Integer stars, String comment) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (stars == null || stars < 1 || stars > 5) {
            problems.put("stars", "must be a whole number of stars from 1 to 5");
        }
        if (comment != null && comment.length() > MAX_COMMENT) {
            problems.put("comment", "must be at most " + MAX_COMMENT + " characters");
        }
        return problems;
    }

    /** Whether an order in this status can be rated: its work is confirmed done. */
    public static boolean rateable(OrderStatus status) {
        return status == OrderStatus.COMPLETED || status == OrderStatus.SETTLED;
    }
}
