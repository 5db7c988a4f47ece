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

    public Session(HttpServerRequest request, ObjectMapper json) {
        Cookie cookie = request.getCookie(COOKIE);
        String found = cookie == null ? null : cookie.getValue();
        String sub = null;
        String mainRole = null;
        if (found != null) {
            try {
                String[] parts = found.split("\\.");
                JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
                sub = claims.path("sub").asText(null);
                for (JsonNode group : claims.path("groups")) {
                    if (ROLES.contains(group.asText())) {
                        mainRole = group.asText();
                        break;
                    }
                }
            } catch (Exception e) {
                found = null; // not a token: signed out
            }
        }
        this.token = sub == null || mainRole == null ? null : found;
        this.subject = token == null ? null : sub;
        this.role = token == null ? null : mainRole;
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
