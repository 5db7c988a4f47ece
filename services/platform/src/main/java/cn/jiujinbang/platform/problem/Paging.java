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

    public static void check(int page, int size, int maxSize) {
        if (page < 0 || page > MAX_PAGE) {
            throw ApiProblem.invalid("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > maxSize) {
            throw ApiProblem.invalid("size", "must be between 1 and " + maxSize);
        }
    }
}
