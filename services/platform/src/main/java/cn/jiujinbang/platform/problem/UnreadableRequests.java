package cn.jiujinbang.platform.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before any resource runs, a request whose path or query parameters carry a control
 * character once decoded ({@code GET /workers/%00}): no id, code or date of the platform contains
 * one, and PostgreSQL refuses a NUL in text (it was a 500). Answered 400 problem+json, nothing read
 * or written.
 */
public class UnreadableRequests {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseControlCharacters(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (hasControl(path)) {
            return Optional.of(refuse("path", "the path contains a control character (e.g. %00)"));
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (hasControl(parameter.getKey()) || parameter.getValue().stream().anyMatch(UnreadableRequests::hasControl)) {
                String name = printable(parameter.getKey());
                return Optional.of(refuse(name, "the query parameter contains a control character (e.g. %00)"));
            }
        }
        return Optional.empty();
    }

    private static Response refuse(String field, String message) {
        return ProblemMappers.respond(400, "Invalid request", field + ": " + message, null,
                List.of(new Problem.InvalidField(field, message)));
    }

    static boolean hasControl(String text) {
        return PlainText.hasControlCharacter(text, false);
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
