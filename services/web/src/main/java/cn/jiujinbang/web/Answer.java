package cn.jiujinbang.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A service's answer: its status and body (JSON when it sent JSON, problem+json included). */
public record Answer(int status, JsonNode json, String text) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as maps and lists, for a template. */
    public Object data() {
        return json == null ? null : MAPPER.convertValue(json, Object.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map() {
        Object data = data();
        return data instanceof Map ? (Map<String, Object>) data : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list() {
        Object data = data();
        return data instanceof List ? (List<Object>) data : List.of();
    }

    /** A problem's explanation in the service's words (its detail, else its title). */
    public String problem() {
        if (json == null) {
            return "HTTP " + status;
        }
        String detail = json.path("detail").asText("");
        return detail.isBlank() ? json.path("title").asText("HTTP " + status) : detail;
    }

    /** A problem's invalid fields: field name → what is wrong with it. */
    public Map<String, String> fieldErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (json != null) {
            for (JsonNode error : json.path("errors")) {
                errors.put(error.path("field").asText(), error.path("message").asText());
            }
        }
        return errors;
    }
}
