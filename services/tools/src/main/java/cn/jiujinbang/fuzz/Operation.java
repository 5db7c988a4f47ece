package cn.jiujinbang.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One operation of a service's OpenAPI document: what the fuzzer needs to build requests to it.
 * {@code body} is the resolved JSON schema of an application/json body, {@code bodyType} the media
 * type a body must have (null when the operation takes none).
 */
record Operation(String service, String base, String method, String path, List<Parameter> parameters,
                 String bodyType, JsonNode body) {

    record Parameter(String name, String in, JsonNode schema) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    String name() {
        return method + " " + path;
    }

    boolean isStream() {
        return path.endsWith("/stream");
    }

    /** Every operation of the OpenAPI document the service at {@code base} serves. */
    static List<Operation> of(String service, String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(base + "/q/openapi answered " + response.statusCode());
        }
        JsonNode document = JSON.readTree(response.body());
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "delete", "patch")) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(), resolve(document, p.path("schema"))));
                }
                JsonNode content = op.path("requestBody").path("content");
                String bodyType = null;
                JsonNode body = null;
                if (content.has("application/json")) {
                    bodyType = "application/json";
                    body = resolve(document, content.path("application/json").path("schema"));
                } else if (content.fieldNames().hasNext()) {
                    bodyType = content.fieldNames().next();
                }
                operations.add(new Operation(service, base, method.toUpperCase(), path.getKey(), parameters, bodyType, body));
            }
        }
        return operations;
    }

    /** The schema with every $ref (and allOf) replaced by what it names, to a depth that covers our DTOs. */
    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        return resolve(document, schema, 0);
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema, int depth) {
        if (schema == null || schema.isMissingNode() || depth > 8) {
            return JSON.createObjectNode();
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return resolve(document, document.at(ref.substring(1)), depth + 1);
        }
        if (schema.has("allOf")) {
            ObjectNode merged = JSON.createObjectNode();
            for (JsonNode part : schema.get("allOf")) {
                merged.setAll((ObjectNode) resolve(document, part, depth + 1));
            }
            return merged;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        if (schema.has("properties")) {
            ObjectNode properties = JSON.createObjectNode();
            schema.get("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), resolve(document, e.getValue(), depth + 1)));
            copy.set("properties", properties);
        }
        if (schema.has("items")) {
            copy.set("items", resolve(document, schema.get("items"), depth + 1));
        }
        return copy;
    }
}
