package cn.jiujinbang.web;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;

/** What every page shares: the words in the person's language, who is signed in, a message to show. */
@ApplicationScoped
public class Pages {

    private final Texts texts;
    private final Catalogue catalogue;

    public Pages(Texts texts, Catalogue catalogue) {
        this.texts = texts;
        this.catalogue = catalogue;
    }

    public TemplateInstance page(Template template, Session session, String message) {
        Map<String, String> t = texts.of(session.language());
        return template.data("t", t).data("session", session).data("lang", session.language()).data("problem", null)
                .data("services", catalogue.names(session.language()))
                .data("message", message == null ? null : t.get(message)); // only the app's own words, never text from a link
    }

    /** After a form: back to a page (POST, redirect, GET), with the key of a message to show there. */
    public static Response seeOther(String path, String message) {
        String target = message == null ? path
                : path + (path.contains("?") ? "&" : "?") + "m=" + java.net.URLEncoder.encode(message, java.nio.charset.StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(target)).build();
    }

    public static Response seeOther(String path, String message, NewCookie cookie) {
        return Response.fromResponse(seeOther(path, message)).cookie(cookie).build();
    }
}
