package cn.jiujinbang.platform.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;

/**
 * Documents the errors of every operation in the OpenAPI document once, here, instead of on each
 * endpoint, all as problem+json ({@link Problem}): 400 where a body or parameters are read, 401
 * and 403 where a role is required, 404 where the path names an id, 409 where state changes.
 * Applied when the document is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
        Schema field = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("field", text).addProperty("message", text);
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 7807 problem details")
                .addProperty("type", text).addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", text).addProperty("instance", text)
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(field)));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (path.startsWith("/q/")) {
                return;
            }
            APIResponses responses = operation.getResponses();
            if (responses == null) {
                responses = OASFactory.createAPIResponses();
                operation.setResponses(responses);
            }
            boolean writes = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT;
            boolean hasParameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
            if (writes || hasParameters) {
                add(responses, "400", "Invalid request: `errors` names each rejected field; nothing was written");
            }
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                add(responses, "401", "No valid bearer token");
                add(responses, "403", "The token's role may not do this");
            }
            if (path.contains("{")) {
                add(responses, "404", "Unknown id, or somebody else's (existence is not revealed)");
            }
            if (writes) {
                add(responses, "409", "The current state does not allow this (an illegal transition, an offer already taken, ...)");
            }
        }));
    }

    /** Adds the response, or gives an existing one without a body (Quarkus's own 401/403) the problem body. */
    private static void add(APIResponses responses, String status, String description) {
        Content problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/Problem")));
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem));
        } else if (existing.getContent() == null) {
            existing.setContent(problem);
        }
    }
}
