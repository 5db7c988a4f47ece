package cn.jiujinbang.platform.problem;

/**
 * The bounds of every paged list, in one place: a page number whose offset would overflow (found by
 * make fuzz: page=2147483647 made a negative offset, a 500) or a size beyond the list's maximum is a
 * 400 naming the parameter.
 */
public final class Paging {

    /** No list is read that deep page by page; beyond it a client is scanning, not browsing. */
    public static final int MAX_PAGE = 100_000;

    private Paging() {
    }

    /** A page of a list: its number (from 0) and how many items it holds. */
    public record Page(int number, int size) {
    }

    public static Page check(int page, int size, int maxSize) {
        if (page < 0 || page > MAX_PAGE) {
            throw ApiProblem.invalid("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > maxSize) {
            throw ApiProblem.invalid("size", "must be between 1 and " + maxSize);
        }
        return new Page(page, size);
    }

    /** The same bounds for parameters read as text (a number that is not one is refused the same way). */
    public static Page check(String page, String size, int maxSize) {
        return check(whole(page, "page"), whole(size, "size"), maxSize);
    }

    private static int whole(String value, String field) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid(field, "must be a whole number, not " + value);
        }
    }
}
