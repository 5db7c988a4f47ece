package cn.jiujinbang.web;

import cn.jiujinbang.web.Services.Service;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A gig worker's pages: registration, availability, offers (pushed), accept, start, done, earnings. */
@Path("/worker")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class WorkerPages {

    private final Session session;
    private final Services services;
    private final Pages pages;
    private final Texts texts;
    private final Template home;
    private final Template register;
    private final Template earnings;

    public WorkerPages(Session session, Services services, Pages pages, Texts texts, @Location("worker/home.html") Template home,
                       @Location("worker/register.html") Template register, @Location("worker/earnings.html") Template earnings) {
        this.session = session;
        this.services = services;
        this.pages = pages;
        this.texts = texts;
        this.home = home;
        this.register = register;
        this.earnings = earnings;
    }

    @GET
    public Object home(@QueryParam("m") String message) {
        if (!"worker".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        String me = ResidentPages.safe(session.subject());
        Answer profile = services.get(Service.MATCHING, "/workers/" + me, session.token());
        if (profile.status() == 404) {
            return registerForm(Map.of("radiusKm", "3"), Map.of(), List.of(), message);
        }
        Answer offers = services.get(Service.MATCHING, "/workers/" + me + "/offers?status=OFFERED", session.token());
        Answer assigned = services.get(Service.ORDERS, "/orders?size=20", session.token());
        Answer standing = services.get(Service.MATCHING, "/workers/" + me + "/verification", session.token());
        return pages.page(home, session, message).data("worker", profile.ok() ? profile.map() : null)
                .data("standing", standing.ok() ? standing.map() : null)
                .data("offers", offers.ok() ? offers.list() : List.of())
                .data("orders", assigned.ok() ? assigned.map().get("items") : List.of())
                .data("problem", profile.ok() ? null : profile.problem());
    }

    @POST
    @Path("register")
    public Object register(@FormParam("name") String name, @RestForm("serviceCodes") List<String> serviceCodes,
                           @FormParam("lat") String lat, @FormParam("lon") String lon, @FormParam("radiusKm") String radiusKm) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name == null ? "" : name.strip());
        values.put("lat", lat == null ? "" : lat.strip());
        values.put("lon", lon == null ? "" : lon.strip());
        values.put("radiusKm", radiusKm == null ? "" : radiusKm.strip());
        List<String> skills = serviceCodes == null ? List.of() : serviceCodes;
        Map<String, String> errors = new LinkedHashMap<>();
        String notANumber = texts.of(session.language()).get("err_number");
        Double latitude = number(values.get("lat"), "home.lat", errors, notANumber);
        Double longitude = number(values.get("lon"), "home.lon", errors, notANumber);
        Double radius = number(values.get("radiusKm"), "radiusKm", errors, notANumber);
        if (!errors.isEmpty()) {
            return registerForm(values, errors, skills, "form_has_errors");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", values.get("name"));
        body.put("serviceCodes", skills);
        body.put("home", Map.of("lat", latitude, "lon", longitude));
        body.put("radiusKm", radius);
        Answer answer = services.post(Service.MATCHING, "/workers", session.token(), body);
        if (!answer.ok()) {
            return registerForm(values, answer.fieldErrors(), skills, "form_has_errors").data("problem", answer.problem());
        }
        return Pages.seeOther("/worker", "registered");
    }

    @POST
    @Path("availability")
    public Object availability(@FormParam("available") String available) {
        Answer answer = services.put(Service.MATCHING, "/workers/" + ResidentPages.safe(session.subject()) + "/availability",
                session.token(), Map.of("available", "true".equals(available)));
        return Pages.seeOther("/worker", answer.ok() ? ("true".equals(available) ? "now_available" : "now_unavailable") : "try_again");
    }

    /** Accepting: the first worker wins; anyone later is told plainly that someone else was faster. */
    @POST
    @Path("offers/{offerId}/accept")
    public Object accept(@PathParam("offerId") String offerId, @FormParam("orderId") String orderId) throws InterruptedException {
        Answer answer = services.post(Service.MATCHING, "/offers/" + ResidentPages.safe(offerId) + "/accept", session.token(), null);
        if (answer.ok()) {
            awaitAssignment(orderId);
            return Pages.seeOther("/worker", "accepted");
        }
        return Pages.seeOther("/worker", switch (answer.status()) {
            case 409 -> "someone_faster";
            case 403 -> "verify_first";
            default -> "try_again";
        });
    }

    /** Real-name verification: the name and ID number as on the card, checked by matching-service with the register. */
    @POST
    @Path("verification")
    public Object verify(@FormParam("name") String name, @FormParam("idNumber") String idNumber) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.strip());
        body.put("idNumber", idNumber == null ? "" : idNumber.strip());
        Answer answer = services.post(Service.MATCHING, "/workers/" + ResidentPages.safe(session.subject()) + "/verification",
                session.token(), body);
        return Pages.seeOther("/worker", switch (answer.status()) {
            case 200 -> "verified";
            case 400 -> "id_number_invalid";
            case 422 -> "identity_not_confirmed";
            case 409 -> "already_verified";
            default -> "try_again";
        });
    }

    /** Signing the labor-service agreement shown on the page (its version travels with the form). */
    @POST
    @Path("agreement")
    public Object sign(@FormParam("version") String version) {
        Answer answer = services.post(Service.MATCHING, "/workers/" + ResidentPages.safe(session.subject()) + "/agreement",
                session.token(), Map.of("version", version == null ? "" : version));
        return Pages.seeOther("/worker", answer.ok() ? "agreement_signed" : answer.status() == 409 ? "agreement_changed" : "try_again");
    }

    /**
     * The order reaches the worker's list when order-service has applied the assignment (an event
     * away, milliseconds as a rule): the page waits up to 3 s for it so the job is there when it opens.
     */
    private void awaitAssignment(String orderId) throws InterruptedException {
        if (orderId == null || orderId.isBlank()) {
            return;
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline
                && !services.get(Service.ORDERS, "/orders/" + ResidentPages.safe(orderId), session.token()).ok()) {
            Thread.sleep(50);
        }
    }

    @POST
    @Path("orders/{id}/start")
    public Object start(@PathParam("id") String id, @FormParam("code") String code) {
        Answer answer = services.post(Service.ORDERS, "/orders/" + ResidentPages.safe(id) + "/start", session.token(),
                Map.of("code", code == null ? "" : code.strip()));
        return Pages.seeOther("/worker", switch (answer.status()) {
            case 200 -> "started";
            case 400 -> "start_code_needed";
            case 422 -> "start_code_wrong";
            case 429 -> "start_code_locked";
            default -> "try_again";
        });
    }

    @POST
    @Path("orders/{id}/done")
    public Object done(@PathParam("id") String id) {
        Answer answer = services.post(Service.ORDERS, "/orders/" + ResidentPages.safe(id) + "/done", session.token(), null);
        return Pages.seeOther("/worker", answer.ok() ? "done" : "try_again");
    }

    @GET
    @Path("earnings")
    public Object earnings(@QueryParam("month") String month) {
        if (!"worker".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        String wanted = month == null || !month.matches("\\d{4}-\\d{2}") ? YearMonth.now(ZoneId.of("Asia/Shanghai")).toString() : month;
        Answer statement = services.get(Service.SETTLEMENT, "/workers/" + ResidentPages.safe(session.subject())
                + "/statement?month=" + wanted, session.token());
        return pages.page(earnings, session, null).data("month", wanted)
                .data("statement", statement.ok() ? statement.map() : null)
                .data("problem", statement.ok() ? null : statement.problem());
    }

    private TemplateInstance registerForm(Map<String, String> values, Map<String, String> errors, List<String> skills, String message) {
        Answer catalog = services.get(Service.ORDERS, "/catalog", null);
        return pages.page(register, session, message).data("values", values).data("errors", errors).data("skills", skills)
                .data("categories", catalog.ok() ? catalog.map().get("categories") : List.of()).data("problem", null);
    }

    private static Double number(String value, String field, Map<String, String> errors, String message) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            errors.put(field, message);
            return null;
        }
    }
}
