package cn.jiujinbang.web;

import cn.jiujinbang.web.Services.Service;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resident's or worker's notification settings: every kind the services send them, each with its
 * channels (the app, SMS). Each kind is kept by the service that sends it, so the page reads all three
 * and writes each choice to its own service.
 */
@Path("/notifications")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class NotificationPages {

    static final List<String> CHANNELS = List.of("APP_PUSH", "SMS");

    private final Session session;
    private final Services services;
    private final Pages pages;
    private final Template settings;

    public NotificationPages(Session session, Services services, Pages pages, @Location("notifications.html") Template settings) {
        this.session = session;
        this.services = services;
        this.pages = pages;
        this.settings = settings;
    }

    private boolean allowed() {
        return "resident".equals(session.role()) || "worker".equals(session.role());
    }

    /** The person's preferences, each with the service that sends its kind (offers and payouts are a worker's). */
    private List<Map<String, Object>> preferences() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Service service : List.of(Service.MATCHING, Service.ORDERS, Service.SETTLEMENT)) {
            if ("resident".equals(session.role()) && service != Service.ORDERS) {
                continue;
            }
            Answer answer = services.get(service, "/notification-preferences", session.token());
            if (answer.ok()) {
                for (Object p : answer.list()) {
                    Map<?, ?> pref = (Map<?, ?>) p;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("kind", pref.get("kind"));
                    row.put("channels", pref.get("channels"));
                    row.put("service", service);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @GET
    public Object page(@QueryParam("m") String message) {
        if (!allowed()) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        return pages.page(settings, session, message).data("preferences", preferences()).data("channels", CHANNELS)
                .data("home", "/" + session.role());
    }

    @POST
    public Object save(@RestForm("choice") List<String> choices) {
        if (!allowed()) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        List<String> chosen = choices == null ? List.of() : choices; // "KIND:CHANNEL" per ticked box
        boolean ok = true;
        for (Map<String, Object> preference : preferences()) {
            String kind = (String) preference.get("kind");
            List<String> channels = CHANNELS.stream().filter(c -> chosen.contains(kind + ":" + c)).toList();
            ok &= services.put((Service) preference.get("service"), "/notification-preferences/" + kind, session.token(),
                    Map.of("channels", channels)).ok();
        }
        return Pages.seeOther("/notifications", ok ? "notifications_saved" : "try_again");
    }
}
