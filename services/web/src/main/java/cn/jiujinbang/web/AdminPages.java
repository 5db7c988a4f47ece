package cn.jiujinbang.web;

import cn.jiujinbang.web.Services.Service;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admins' board: how many orders are in each status now, refreshed every few seconds (numbers
 * only, so the refreshes do not fill the audit trail); the latest orders on a page of their own, which
 * is an admin read and is audited.
 */
@Path("/admin")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AdminPages {

    static final List<String> STATUSES = List.of("POSTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CONFIRMATION", "COMPLETED",
            "SETTLED", "CANCELLED", "UNMATCHED", "PAYMENT_FAILED");

    private final Session session;
    private final Services services;
    private final Pages pages;
    private final Template board;
    private final Template orders;

    public AdminPages(Session session, Services services, Pages pages, @Location("admin/board.html") Template board,
                      @Location("admin/orders.html") Template orders) {
        this.orders = orders;
        this.session = session;
        this.services = services;
        this.pages = pages;
        this.board = board;
    }

    @GET
    public Object board(@jakarta.ws.rs.QueryParam("m") String message) {
        if (!"admin".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        Answer answer = services.get(Service.ORDERS, "/orders/status-counts", session.token());
        List<Map<String, Object>> counts = new ArrayList<>();
        for (String status : STATUSES) {
            Map<String, Object> count = new LinkedHashMap<>();
            count.put("status", status);
            count.put("total", answer.ok() ? answer.map().getOrDefault(status, 0) : "?");
            counts.add(count);
        }
        return pages.page(board, session, message).data("counts", counts).data("problem", answer.ok() ? null : answer.problem());
    }

    @GET
    @Path("orders")
    public Object latest() {
        if (!"admin".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        Answer latest = services.get(Service.ORDERS, "/orders?size=50", session.token());
        return pages.page(orders, session, null).data("orders", latest.ok() ? latest.map().get("items") : List.of())
                .data("problem", latest.ok() ? null : latest.problem());
    }

    /** Withdrawing a resident's abusive rating of a worker: the order's id and why. */
    @jakarta.ws.rs.POST
    @Path("ratings/report")
    public Object reportRating(@jakarta.ws.rs.FormParam("orderId") String orderId, @jakarta.ws.rs.FormParam("reason") String reason) {
        if (!"admin".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        Answer answer = services.post(Service.ORDERS, "/orders/" + ResidentPages.safe(orderId == null ? "" : orderId.strip())
                + "/rating/report", session.token(), Map.of("reason", reason == null ? "" : reason.strip()));
        return Pages.seeOther("/admin", switch (answer.status()) {
            case 200 -> "rating_reported";
            case 404 -> "rating_not_found";
            case 409 -> "rating_reported_before";
            default -> "try_again";
        });
    }
}
