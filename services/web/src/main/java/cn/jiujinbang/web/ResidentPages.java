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
import jakarta.ws.rs.core.Response;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A resident's pages: their orders, posting a request from the catalogue, an order live, confirm and cancel. */
@Path("/resident")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class ResidentPages {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final Session session;
    private final Services services;
    private final Pages pages;
    private final Texts texts;
    private final Template home;
    private final Template newOrder;
    private final Template order;

    public ResidentPages(Session session, Services services, Pages pages, Texts texts, @Location("resident/home.html") Template home,
                         @Location("resident/new-order.html") Template newOrder, @Location("resident/order.html") Template order) {
        this.session = session;
        this.services = services;
        this.pages = pages;
        this.texts = texts;
        this.home = home;
        this.newOrder = newOrder;
        this.order = order;
    }

    @GET
    public Object orders(@QueryParam("m") String message) {
        if (!"resident".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        Answer mine = services.get(Service.ORDERS, "/orders?size=50", session.token());
        return pages.page(home, session, message).data("orders", mine.ok() ? mine.map().get("items") : List.of())
                .data("unavailable", !mine.ok());
    }

    @GET
    @Path("new")
    public Object newOrderPage(@QueryParam("service") String serviceCode) {
        if (!"resident".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        LocalDateTime start = LocalDateTime.now(SHANGHAI).plusHours(2).truncatedTo(ChronoUnit.HOURS);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("serviceCode", serviceCode == null ? "" : serviceCode);
        values.put("start", start.toString());
        values.put("end", start.plusHours(2).toString());
        values.put("idempotencyKey", UUID.randomUUID().toString());
        return form(values, Map.of(), null);
    }

    /** Posting: what the person typed is kept and shown again with the service's words next to the field they concern. */
    @POST
    @Path("orders")
    public Object post(@FormParam("serviceCode") String serviceCode, @FormParam("description") String description,
                       @FormParam("address") String address, @FormParam("lat") String lat, @FormParam("lon") String lon,
                       @FormParam("start") String start, @FormParam("end") String end, @FormParam("price") String price,
                       @FormParam("idempotencyKey") String idempotencyKey) {
        if (!"resident".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("serviceCode", nz(serviceCode));
        values.put("description", nz(description));
        values.put("address", nz(address));
        values.put("lat", nz(lat));
        values.put("lon", nz(lon));
        values.put("start", nz(start));
        values.put("end", nz(end));
        values.put("price", nz(price));
        values.put("idempotencyKey", idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey);
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> t = texts.of(session.language());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serviceCode", values.get("serviceCode"));
        body.put("description", values.get("description"));
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("lat", number(values.get("lat"), "location.lat", errors, t.get("err_number")));
        location.put("lon", number(values.get("lon"), "location.lon", errors, t.get("err_number")));
        location.put("address", values.get("address"));
        body.put("location", location);
        body.put("window", Map.of("start", time(values.get("start"), "window.start", errors, t.get("err_time")),
                "end", time(values.get("end"), "window.end", errors, t.get("err_time"))));
        body.put("priceFen", fen(values.get("price"), errors, t.get("err_price")));
        if (!errors.isEmpty()) {
            return form(values, errors, "form_has_errors");
        }
        Answer posted = services.post(Service.ORDERS, "/orders", session.token(), body,
                Map.of("Idempotency-Key", values.get("idempotencyKey")));
        if (!posted.ok()) {
            Map<String, String> fields = posted.fieldErrors();
            return form(values, fields, fields.isEmpty() ? null : "form_has_errors").data("problem", posted.problem());
        }
        return Pages.seeOther("/resident/orders/" + posted.map().get("id"), "posted");
    }

    @GET
    @Path("orders/{id}")
    public Object order(@PathParam("id") String id, @QueryParam("m") String message) {
        if (!"resident".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        return orderPage(id, message, null);
    }

    @POST
    @Path("orders/{id}/confirm")
    public Object confirm(@PathParam("id") String id) {
        Answer answer = services.post(Service.ORDERS, "/orders/" + safe(id) + "/confirm", session.token(), null);
        return answer.ok() ? Pages.seeOther("/resident/orders/" + safe(id), "confirmed") : orderPage(id, null, answer.problem());
    }

    @POST
    @Path("orders/{id}/cancel")
    public Object cancel(@PathParam("id") String id, @FormParam("reason") String reason) {
        Answer answer = services.post(Service.ORDERS, "/orders/" + safe(id) + "/cancel", session.token(), Map.of("reason", nz(reason)));
        return answer.ok() ? Pages.seeOther("/resident/orders/" + safe(id), "cancelled")
                : orderPage(id, null, answer.problem()).data("reason", nz(reason));
    }

    /** Disputing the work: the reason goes to order-service; a refusal (too late, confirmed) is shown on the page. */
    @POST
    @Path("orders/{id}/dispute")
    public Object dispute(@PathParam("id") String id, @FormParam("reason") String reason) {
        Answer answer = services.post(Service.ORDERS, "/orders/" + safe(id) + "/dispute", session.token(), Map.of("reason", nz(reason)));
        return answer.ok() ? Pages.seeOther("/resident/orders/" + safe(id), "disputed") : orderPage(id, null, answer.problem());
    }

    /** Rating the worker once the work is confirmed: 1 to 5 stars and a comment; a refusal is shown on the order's page. */
    @POST
    @Path("orders/{id}/rating")
    public Object rate(@PathParam("id") String id, @FormParam("stars") String stars, @FormParam("comment") String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stars", stars != null && stars.matches("[1-5]") ? Integer.valueOf(stars) : null);
        body.put("comment", nz(comment));
        Answer answer = services.post(Service.ORDERS, "/orders/" + safe(id) + "/rating", session.token(), body);
        return answer.ok() ? Pages.seeOther("/resident/orders/" + safe(id), "rated") : orderPage(id, null, answer.problem());
    }

    private TemplateInstance orderPage(String id, String message, String problem) {
        String orderId = safe(id);
        Answer found = services.get(Service.ORDERS, "/orders/" + orderId, session.token());
        Answer history = services.get(Service.ORDERS, "/orders/" + orderId + "/history", session.token());
        Answer payment = services.get(Service.SETTLEMENT, "/payments/" + orderId, session.token());
        Answer rating = services.get(Service.ORDERS, "/orders/" + orderId + "/rating", session.token());
        Object offersFrom = found.ok() ? found.map().get("offersFrom") : null;
        boolean scheduled = found.ok() && "POSTED".equals(found.map().get("status")) && offersFrom instanceof String from
                && java.time.OffsetDateTime.parse(from).isAfter(java.time.OffsetDateTime.now());
        return pages.page(order, session, message).data("order", found.ok() ? found.map() : null)
                .data("scheduled", scheduled)
                .data("rating", rating.ok() ? rating.map() : null)
                .data("history", history.ok() ? history.list() : List.of())
                .data("payment", payment.ok() ? payment.map() : null)
                .data("problem", found.ok() ? problem : found.problem()).data("reason", "");
    }

    private TemplateInstance form(Map<String, String> values, Map<String, String> errors, String message) {
        Answer catalog = services.get(Service.ORDERS, "/catalog", null);
        return pages.page(newOrder, session, message).data("values", values).data("errors", errors)
                .data("categories", catalog.ok() ? catalog.map().get("categories") : List.of()).data("problem", null);
    }

    static String safe(String id) {
        return id == null ? "" : java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }

    private static Object number(String value, String field, Map<String, String> errors, String message) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            errors.put(field, message);
            return null;
        }
    }

    /** A time typed in the page (Asia/Shanghai, to the minute) as ISO-8601 with offset. */
    private static Object time(String value, String field, Map<String, String> errors, String message) {
        try {
            return LocalDateTime.parse(value).atZone(SHANGHAI).toOffsetDateTime().toString();
        } catch (DateTimeParseException e) {
            errors.put(field, message);
            return "";
        }
    }

    /** Yuan as typed ("68" or "68.5") into whole fen. */
    private static Object fen(String value, Map<String, String> errors, String message) {
        try {
            return new java.math.BigDecimal(value).movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            errors.put("priceFen", message);
            return null;
        }
    }
}
