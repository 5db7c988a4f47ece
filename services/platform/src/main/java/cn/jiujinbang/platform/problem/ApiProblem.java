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

    public ApiProblem(int status, String title, String detail, List<Problem.InvalidField> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
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
}
