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
    public Object board() {
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
        return pages.page(board, session, null).data("counts", counts).data("problem", answer.ok() ? null : answer.problem());
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
}
