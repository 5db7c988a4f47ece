package cn.jiujinbang.fuzz;

import java.util.Map;

/**
 * One malformed (or, as a control, well-formed) request: who sends it ({@code role}: a token role,
 * "anonymous" for none, "forged" for a token nobody issued), where, with what, and what is wrong with it.
 */
record Probe(Operation operation, String role, String url, String body, String contentType,
             Map<String, String> headers, String what) {
}
