package cn.jiujinbang.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.Priorities;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The one place where every error of every service becomes RFC 7807 problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, UriInfo uri) {
        Response response = respond(e.status(), e.title(), e.getMessage(), uri, e.errors());
        return e.retryAfterSeconds() > 0
                ? Response.fromResponse(response).header("Retry-After", e.retryAfterSeconds()).build()
                : response;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.InvalidField> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.InvalidField(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.InvalidField::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(400, "Invalid request", detail, uri, errors);
    }

    // Quarkus ships its own mappers for these Jackson types; ours win by priority.
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response malformedJson(StreamReadException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String message = e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException invalid
                    && invalid.getOriginalMessage().endsWith(PlainText.MESSAGE) ? PlainText.MESSAGE : "has the wrong type or format";
            return respond(400, "Invalid request", field + ": " + message, uri, List.of(new Problem.InvalidField(field, message)));
        }
        return respond(400, "Invalid request", "the body is not valid JSON", uri, List.of());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "Forbidden", "your role may not do this", uri, List.of());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return respond(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (databaseUnavailable(e)) {
            // not a bug: the database is restarting or unreachable; the client should come back shortly
            LOG.warnf("database unavailable on %s: %s", uri.getPath(), e.toString());
            return Response.fromResponse(respond(503, "Service unavailable",
                            "the database cannot be reached just now; try again shortly", uri, List.of()))
                    .header("Retry-After", DATABASE_RETRY_AFTER_SECONDS).build();
        }
        if (sqlState(e, "55P03")) {
            // lock_not_available: an operation that runs one at a time (a payout batch) is busy; say so at once
            LOG.warnf("busy on %s: %s", uri.getPath(), e.toString());
            return Response.fromResponse(respond(503, "Busy",
                            "the same operation is running just now; try again in a few seconds", uri, List.of()))
                    .header("Retry-After", BUSY_RETRY_AFTER_SECONDS).build();
        }
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return respond(500, "Internal error", "the service failed; the failure is logged", uri, List.of());
    }

    private static final String DATABASE_RETRY_AFTER_SECONDS = "2";
    private static final String BUSY_RETRY_AFTER_SECONDS = "5";

    /** Whether PostgreSQL failed the request with {@code state} (e.g. 55P03, a lock timeout). */
    static boolean sqlState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && state.equals(pg.getSqlState())
                    || t instanceof java.sql.SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a failure means the database cannot be reached, rather than a bug: the connection is
     * refused or was closed under the request, or PostgreSQL says it is shutting down, starting up
     * or recovering (SQLSTATE class 08, 57P01-57P03). 503 with Retry-After tells the client to
     * come back; if the connection broke during the commit the change may have been made, which
     * a repeat finds out safely (an Idempotency-Key replays the posting, a transition answers 409).
     */
    static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (databaseUnavailable(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(respond(401, "Unauthorized", "a valid bearer token is required", uri, List.of()))
                .header("WWW-Authenticate", "Bearer").build();
    }

    static Response respond(int status, String title, String detail, UriInfo uri, List<Problem.InvalidField> errors) {
        Problem body = new Problem("about:blank", title, status, detail, uri == null ? null : uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** The request field a violation is about: bean properties without the method and parameter names. */
    static String fieldName(ConstraintViolation<?> violation) {
        List<String> properties = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    properties.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
                }
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        return parameter == null ? "body" : parameter;
    }
}
