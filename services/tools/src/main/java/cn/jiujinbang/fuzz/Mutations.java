package cn.jiujinbang.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The requests the fuzzer sends to one operation, for every caller: a well-formed control request,
 * then one defect at a time in each path and query parameter, each header it declares, the body as a
 * whole and each field of it (to two levels), plus a few defects every endpoint must survive.
 */
final class Mutations {

    /** Who calls: no token, a token signed by a key nobody trusts, and each role. */
    static final List<String> CALLERS = List.of("anonymous", "forged", "resident", "worker", "finance", "admin");

    /** Text that must never break a parameter: control and odd characters, sizes, numbers and dates beyond range. */
    static final List<String> BAD_TEXT = List.of("\u0000", "\u0007bell", "%", "x".repeat(5_000), "../../etc/passwd",
            "' OR '1'='1", "-1", "0", "2147483647", "1000001", "99999999999999999999999", " ", "😀\uD83D", "null", "2026-02-30",
            "+999999999-12-31", "-999999999-01-01", "1e309", "NaN", "9999-99", "2026-13", UUID.randomUUID().toString());

    /** JSON values to put where a field's value belongs. */
    static final List<String> BAD_JSON_VALUES = List.of("null", "\"x\"", "-1", "0", "1e400", "9223372036854775808",
            "-9223372036854775809", "1.5", "true", "[]", "{}", "\"\\u0000\"", "\"" + "y".repeat(100_000) + "\"",
            "\"2026-02-30T25:61:00+08:00\"", "\"+999999999-12-31T23:59:59Z\"", "\"\\ud83d\"", "-1e308");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fixtures fixtures;

    Mutations(Fixtures fixtures) {
        this.fixtures = fixtures;
    }

    List<Probe> of(Operation op) {
        List<Probe> probes = new ArrayList<>();
        for (String caller : CALLERS) {
            Map<String, String> path = new LinkedHashMap<>();
            Map<String, String> query = new LinkedHashMap<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (Operation.Parameter p : op.parameters()) {
                switch (p.in()) {
                    case "path" -> path.put(p.name(), fixtures.pathValue(op, p.name()));
                    case "query" -> query.put(p.name(), queryValue(p));
                    default -> { } // headers are optional; each gets its own defects below
                }
            }
            String body = op.body() != null ? JSON.valueToTree(baseline(op.body(), "")).toString()
                    : op.bodyType() != null ? fixtures.statementCsv() : null;
            probes.add(probe(op, caller, path, query, headers, body, op.bodyType(), "well-formed"));
            for (String name : path.keySet()) {
                for (String bad : BAD_TEXT) {
                    probes.add(probe(op, caller, with(path, name, bad), query, headers, body, op.bodyType(), "path " + name + "=" + show(bad)));
                }
            }
            for (String name : query.keySet()) {
                for (String bad : BAD_TEXT) {
                    probes.add(probe(op, caller, path, with(query, name, bad), headers, body, op.bodyType(), "query " + name + "=" + show(bad)));
                }
            }
            for (Operation.Parameter p : op.parameters()) {
                if (p.in().equals("header")) {
                    for (String bad : List.of("", "x".repeat(10_000), "-1", "99999999999999999999", "abc", "0", "2147483648")) {
                        probes.add(probe(op, caller, path, query, with(headers, p.name(), bad), body, op.bodyType(),
                                "header " + p.name() + "=" + show(bad)));
                    }
                }
            }
            probes.add(probe(op, caller, path, with(query, "unexpected", "\u0000"), headers, body, op.bodyType(), "unknown query parameter"));
            probes.add(probe(op, caller, path, query, with(headers, "Accept", "application/xml"), body, op.bodyType(), "Accept xml"));
            if (op.bodyType() != null) {
                for (Map.Entry<String, String> whole : wholeBodies(body).entrySet()) {
                    probes.add(probe(op, caller, path, query, headers, whole.getValue(), op.bodyType(), "body " + whole.getKey()));
                }
                probes.add(probe(op, caller, path, query, headers, body, "application/xml", "body as application/xml"));
                probes.add(probe(op, caller, path, query, headers, body, null, "body without a content type"));
            }
            if (op.body() == null && op.bodyType() != null) {
                String header = "channelTxnId,reference,type,amountFen,status,settledAt\n";
                for (String line : List.of("", "T1,REF,PAYOUT,1e400,SUCCESS,2026-11-30T10:00:00+08:00",
                        "T1,REF,PAYOUT,-1,SUCCESS,2026-11-30T10:00:00+08:00",
                        "T1,REF,PAYOUT,99999999999999999999,SUCCESS,2026-11-30T10:00:00+08:00",
                        "T1,REF,CHARGE,100,SUCCESS,+999999999-12-31T23:59:59Z", "T1,REF,REFUND,100,MAYBE,yesterday",
                        "\u0000,=cmd|' /C calc'!A0,PAYOUT,100,SUCCESS,2026-11-30T10:00:00+08:00",
                        "T1," + "r".repeat(100_000) + ",PAYOUT,100,SUCCESS,2026-11-30T10:00:00+08:00",
                        ",".repeat(10_000), "\"unterminated,REF,PAYOUT,100,SUCCESS,2026-11-30T10:00:00+08:00")) {
                    probes.add(probe(op, caller, path, query, headers, header + line + "\n", op.bodyType(), "statement line " + show(line)));
                }
            }
            if (op.body() != null) {
                JsonNode valid = JSON.valueToTree(baseline(op.body(), ""));
                for (String field : fields(valid, "")) {
                    for (String bad : BAD_JSON_VALUES) {
                        probes.add(probe(op, caller, path, query, headers, replace(valid, field, bad), op.bodyType(),
                                "field " + field + "=" + show(bad)));
                    }
                }
                probes.add(probe(op, caller, path, query, headers, withExtraField(valid), op.bodyType(), "unknown field"));
            }
        }
        return probes;
    }

    private static Map<String, String> wholeBodies(String valid) {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("empty", "");
        bodies.put("not JSON", "not json at all");
        bodies.put("truncated", valid == null || valid.length() < 2 ? "{" : valid.substring(0, valid.length() / 2));
        bodies.put("null", "null");
        bodies.put("array", "[]");
        bodies.put("string", "\"text\"");
        bodies.put("number", "12345678901234567890");
        bodies.put("empty object", "{}");
        bodies.put("nested 20,000 deep", "[".repeat(20_000) + "]".repeat(20_000));
        bodies.put("3 MB", "{\"x\":\"" + "z".repeat(3 * 1024 * 1024) + "\"}");
        bodies.put("NUL bytes", "\u0000\u0000\u0000");
        bodies.put("invalid UTF-16", "{\"x\":\"\uD800\"}");
        return bodies;
    }

    private String queryValue(Operation.Parameter p) {
        JsonNode schema = p.schema();
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        return switch (p.name()) {
            case "month" -> "2026-11";
            case "year" -> "2026";
            case "date", "from", "to" -> LocalDate.now().toString();
            case "page" -> "0";
            case "size" -> "20";
            case "orderId" -> fixtures.orderId();
            default -> "integer".equals(schema.path("type").asText()) ? "1" : "x";
        };
    }

    /** A plausible value for the schema: what a client would send, so that each defect is the only one. */
    private Object baseline(JsonNode schema, String name) {
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        String type = schema.path("type").asText("object");
        switch (type) {
            case "string" -> {
                String format = schema.path("format").asText("");
                if (format.equals("date-time")) {
                    return OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(name.contains("end") ? 5 : 2).toString();
                }
                if (format.equals("date")) {
                    return LocalDate.now().toString();
                }
                return switch (name) {
                    case "serviceCode" -> "PET_CARE";
                    case "address" -> "劳动三村 3栋";
                    case "month" -> "2026-11";
                    default -> "fuzz";
                };
            }
            case "integer" -> {
                return name.toLowerCase().contains("fen") ? 6000 : 1;
            }
            case "number" -> {
                return switch (name) {
                    case "lat" -> 29.5053;
                    case "lon", "lng" -> 106.5126;
                    default -> 3.0;
                };
            }
            case "boolean" -> {
                return true;
            }
            case "array" -> {
                Object item = baseline(schema.path("items"), name);
                return List.of(name.equals("serviceCodes") ? "PET_CARE" : item);
            }
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    object.put(property.getKey(), baseline(property.getValue(), property.getKey()));
                }
                return object;
            }
        }
    }

    /** The field paths of a JSON object, two levels deep ("location", "location.lat", ...). */
    private static List<String> fields(JsonNode node, String prefix) {
        List<String> fields = new ArrayList<>();
        if (node.isObject() && prefix.chars().filter(c -> c == '.').count() < 2) {
            node.fieldNames().forEachRemaining(name -> {
                String path = prefix.isEmpty() ? name : prefix + "." + name;
                fields.add(path);
                fields.addAll(fields(node.get(name), path));
            });
        }
        return fields;
    }

    private static String replace(JsonNode valid, String field, String badJson) {
        try {
            ObjectNode copy = (ObjectNode) valid.deepCopy();
            String[] parts = field.split("\\.");
            ObjectNode parent = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = (ObjectNode) parent.get(parts[i]);
            }
            String marker = "\"@@" + UUID.randomUUID() + "@@\"";
            parent.set(parts[parts.length - 1], JSON.readTree(marker));
            return copy.toString().replace(marker, badJson);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withExtraField(JsonNode valid) {
        if (!valid.isObject()) {
            return valid.toString();
        }
        ObjectNode copy = (ObjectNode) valid.deepCopy();
        copy.put("isAdmin", true);
        copy.set("nested", JSON.createArrayNode().add(JSON.createObjectNode()));
        return copy.toString();
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return copy;
    }

    private static Probe probe(Operation op, String caller, Map<String, String> path, Map<String, String> query,
                               Map<String, String> headers, String body, String contentType, String what) {
        String url = op.path();
        for (Map.Entry<String, String> p : path.entrySet()) {
            url = url.replace("{" + p.getKey() + "}", encode(p.getValue()));
        }
        StringBuilder full = new StringBuilder(op.base()).append(url);
        String separator = "?";
        for (Map.Entry<String, String> q : query.entrySet()) {
            full.append(separator).append(encode(q.getKey())).append('=').append(encode(q.getValue()));
            separator = "&";
        }
        return new Probe(op, caller, full.toString(), body, contentType, Map.copyOf(headers), what);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String show(String value) {
        String shown = value.length() > 24 ? value.substring(0, 12) + "…(" + value.length() + " chars)" : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> out.append(c < 0x20 ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return out.toString();
    }
}
