package cn.jiujinbang.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** An RFC 7807 problem+json body; {@code errors} names each rejected field of a 400. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<InvalidField> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record InvalidField(String field, String message) {
    }
}
