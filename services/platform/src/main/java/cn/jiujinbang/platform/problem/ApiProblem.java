package cn.jiujinbang.platform.problem;

import java.util.List;

/**
 * A request the service refuses, with the HTTP status and words a client can act on. Thrown by the
 * use cases; {@link ProblemMappers} turns it into problem+json. Refusals happen before anything is
 * written, or roll the transaction back.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.InvalidField> errors;
    private final int retryAfterSeconds;

    public ApiProblem(int status, String title, String detail, List<Problem.InvalidField> errors) {
        this(status, title, detail, errors, 0);
    }

    private ApiProblem(int status, String title, String detail, List<Problem.InvalidField> errors, int retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: the caller did this too often; {@code Retry-After} says when a next try can pass. */
    public static ApiProblem tooManyRequests(String detail, int retryAfterSeconds) {
        return new ApiProblem(429, "Too many requests", detail, List.of(), Math.max(1, retryAfterSeconds));
    }

    /** 503: something the request needs (outside the system) cannot answer now; retry after a while. */
    public static ApiProblem unavailable(String detail, int retryAfterSeconds) {
        return new ApiProblem(503, "Service unavailable", detail, List.of(), Math.max(1, retryAfterSeconds));
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(400, "Invalid request", field + ": " + message, List.of(new Problem.InvalidField(field, message)));
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "Not found", what + " does not exist", List.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail, List.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.InvalidField> errors() {
        return errors;
    }

    /** Seconds for the Retry-After header, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
