package cn.jiujinbang.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Who is using the app: the bearer token in the session cookie (signed by the issuer; the services
 * verify it on every call, the app only reads who it names to choose pages), and the language.
 */
@RequestScoped
public class Session {

    public static final String COOKIE = "gig_session";
    public static final String LANGUAGE_COOKIE = "gig_lang";
    static final Set<String> ROLES = Set.of("resident", "worker", "finance", "admin");

    private final String token;
    private final String subject;
    private final String role;
    private final String language;

    /** Who a token names: its subject and its role among the four (null for anything that is not such a token). */
    record Who(String subject, String role) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static Who who(String token) {
        if (token == null) {
            return null;
        }
        try {
            String[] parts = token.split("\\.");
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            String sub = claims.path("sub").asText(null);
            for (JsonNode group : claims.path("groups")) {
                if (ROLES.contains(group.asText()) && sub != null) {
                    return new Who(sub, group.asText());
                }
            }
        } catch (Exception e) {
            // not a token: signed out
        }
        return null;
    }

    /** The home page of whoever the token names. */
    static String homeOf(String token) {
        Who who = who(token);
        return who == null ? "/sign-in" : "/" + who.role();
    }

    public Session(HttpServerRequest request) {
        Cookie cookie = request.getCookie(COOKIE);
        String found = cookie == null ? null : cookie.getValue();
        Who who = who(found);
        this.token = who == null ? null : found;
        this.subject = who == null ? null : who.subject();
        this.role = who == null ? null : who.role();
        Cookie lang = request.getCookie(LANGUAGE_COOKIE);
        this.language = lang != null && "en".equals(lang.getValue()) ? "en" : "zh";
    }

    public boolean signedIn() {
        return token != null;
    }

    public String token() {
        return token;
    }

    public String subject() {
        return subject;
    }

    public String role() {
        return role;
    }

    public String language() {
        return language;
    }

    /** The person's home page. */
    public String home() {
        return role == null ? "/sign-in" : "/" + role;
    }
}
