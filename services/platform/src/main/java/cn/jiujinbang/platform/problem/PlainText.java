package cn.jiujinbang.platform.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Every text a client sends in a JSON body, in one place: a control character other than tab and
 * line breaks (a NUL above all, which PostgreSQL cannot store and answered with a 500, found by
 * make fuzz) makes the field invalid, answered 400 naming it (ProblemMappers).
 */
@Singleton
public class PlainText implements ObjectMapperCustomizer {

    public static final String MESSAGE = "must not contain control characters";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("gig-plain-text").addDeserializer(String.class, new Deserializer()));
    }

    /**
     * A required free text of a request (a reason, a note): stripped, 1 to {@code max} characters, no
     * control characters; otherwise a 400 naming {@code field} with {@code message}.
     */
    public static String required(String value, String field, int max, String message) {
        String text = value == null ? null : value.strip();
        if (text == null || text.isEmpty() || text.length() > max || hasControlCharacter(text)) {
            throw ApiProblem.invalid(field, message);
        }
        return text;
    }

    /** True when the text has a character a person cannot have typed (C0 controls but tab, LF, CR; DEL). */
    public static boolean hasControlCharacter(String text) {
        return hasControlCharacter(text, true);
    }

    /**
     * True when the text has a C0 control or DEL; tab and line breaks count only when
     * {@code tabAndLineBreaksAllowed} is false (a path or a query parameter, which are one line).
     */
    public static boolean hasControlCharacter(String text, boolean tabAndLineBreaksAllowed) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = tabAndLineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r');
            if ((c < 0x20 && !allowed) || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    static final class Deserializer extends StdScalarDeserializer<String> {

        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && hasControlCharacter(value)) {
                throw ctxt.weirdStringException(value, String.class, MESSAGE);
            }
            return value;
        }
    }
}
