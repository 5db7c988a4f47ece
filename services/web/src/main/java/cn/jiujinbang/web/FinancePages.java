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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finance staff's pages: a day's and its month's figures with the identity charged = net + tax + fees,
 * a chart by day, payout batches, the channel's statement and its findings, CSV downloads, the trial balance.
 */
@Path("/finance")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class FinancePages {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final Session session;
    private final Services services;
    private final Pages pages;
    private final Template home;
    private final Template batch;
    private final Template reconciliation;

    private final Texts texts;

    public FinancePages(Session session, Services services, Pages pages, @Location("finance/home.html") Template home,
                        @Location("finance/batch.html") Template batch,
                        @Location("finance/reconciliation.html") Template reconciliation, Texts texts) {
        this.texts = texts;
        this.session = session;
        this.services = services;
        this.pages = pages;
        this.home = home;
        this.batch = batch;
        this.reconciliation = reconciliation;
    }

    @GET
    public Object figures(@QueryParam("date") String date, @QueryParam("m") String message) {
        if (!"finance".equals(session.role())) {
            return Pages.seeOther("/sign-in", "signin_needed");
        }
        return figuresPage(day(date), message, null);
    }

    private TemplateInstance figuresPage(LocalDate day, String message, String problem) {
        YearMonth month = YearMonth.from(day);
        Answer daily = services.get(Service.SETTLEMENT, "/reports/daily?date=" + day, session.token());
        Answer monthly = services.get(Service.SETTLEMENT, "/reports/monthly?month=" + month, session.token());
        Answer balance = services.get(Service.SETTLEMENT, "/ledger/trial-balance", session.token());
        // the month by day, up to the chosen day: one bar per day
        List<Map<String, Object>> days = new ArrayList<>();
        long max = 0;
        for (LocalDate d = month.atDay(1); !d.isAfter(day); d = d.plusDays(1)) {
            Answer r = services.get(Service.SETTLEMENT, "/reports/daily?date=" + d, session.token());
            Map<String, Object> bar = new LinkedHashMap<>();
            bar.put("day", d.getDayOfMonth());
            bar.put("date", d.toString());
            Object charged = r.ok() ? r.map().getOrDefault("chargedFen", 0) : 0;
            bar.put("chargedFen", charged);
            bar.put("orders", r.ok() ? r.map().getOrDefault("orders", 0) : 0);
            max = Math.max(max, ((Number) charged).longValue());
            days.add(bar);
        }
        Answer disputes = services.get(Service.SETTLEMENT, "/disputes?status=OPEN", session.token());
        return pages.page(home, session, message).data("date", day.toString()).data("month", month.toString())
                .data("disputes", disputes.ok() ? disputes.list() : List.of())
                .data("daily", daily.ok() ? daily.map() : null).data("monthly", monthly.ok() ? monthly.map() : null)
                .data("balance", balance.ok() ? balance.map() : null).data("days", days).data("max", max)
                .data("categoryMax", monthly.ok() ? largestCharge(monthly.map().get("byCategory")) : 0L)
                .data("problem", problem != null ? problem : daily.ok() ? null : daily.problem());
    }

    /** Resolving a dispute: the outcome, a partial refund in yuan, and the note that says why. */
    @POST
    @Path("disputes/{orderId}/resolution")
    public Object resolveDispute(@PathParam("orderId") String orderId, @FormParam("outcome") String outcome,
                                 @FormParam("refund") String refund, @FormParam("note") String note) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", outcome == null ? "" : outcome);
        if ("PARTIAL_REFUND".equals(outcome)) {
            try {
                body.put("refundFen", new java.math.BigDecimal(refund == null ? "" : refund.strip()).movePointRight(2).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                return figuresPage(day(null), null, texts.of(session.language()).get("err_price"));
            }
        }
        body.put("note", note == null ? "" : note.strip());
        Answer answer = services.post(Service.SETTLEMENT, "/disputes/" + ResidentPages.safe(orderId) + "/resolution",
                session.token(), body);
        return answer.ok() ? Pages.seeOther("/finance", "dispute_resolved") : figuresPage(day(null), null, answer.problem());
    }

    @POST
    @Path("payout-batches")
    public Object runBatch(@FormParam("date") String date) {
        Answer answer = services.post(Service.SETTLEMENT, "/payout-batches", session.token(), Map.of("date", day(date).toString()));
        return answer.ok() ? Pages.seeOther("/finance/payout-batches/" + answer.map().get("id"), "batch_run")
                : figuresPage(day(date), null, answer.problem());
    }

    @GET
    @Path("payout-batches/{id}")
    public Object batch(@PathParam("id") String id) {
        Answer answer = services.get(Service.SETTLEMENT, "/payout-batches/" + ResidentPages.safe(id), session.token());
        return pages.page(batch, session, null).data("batch", answer.ok() ? answer.map() : null)
                .data("problem", answer.ok() ? null : answer.problem());
    }

    /** Uploading the channel's statement: the file goes to settlement as it is; a bad line comes back named. */
    @POST
    @Path("reconciliations")
    public Object reconcile(@RestForm("statement") FileUpload statement, @RestForm("date") String date) throws IOException {
        if (statement == null || statement.uploadedFile() == null) {
            return figuresPage(day(date), "statement_missing", null);
        }
        Answer answer = services.postCsv(Service.SETTLEMENT, "/reconciliations", session.token(),
                Files.readAllBytes(statement.uploadedFile()));
        return answer.ok() ? Pages.seeOther("/finance/reconciliations/" + answer.map().get("id"), "reconciled")
                : figuresPage(day(date), null, answer.problem());
    }

    @GET
    @Path("reconciliations/{id}")
    public Object reconciliation(@PathParam("id") String id, @QueryParam("m") String message) {
        Answer answer = services.get(Service.SETTLEMENT, "/reconciliations/" + ResidentPages.safe(id), session.token());
        return pages.page(reconciliation, session, message).data("report", answer.ok() ? answer.map() : null)
                .data("kinds", List.of("missingInStatement", "unknownInLedger", "amountMismatches", "statusMismatches"))
                .data("problem", answer.ok() ? null : answer.problem());
    }

    /** The service's CSV, downloaded through the app (which holds the person's token). */
    @GET
    @Path("download/{what}")
    @Produces("text/csv")
    public Response download(@PathParam("what") String what, @QueryParam("date") String date, @QueryParam("id") String id) {
        LocalDate day = day(date);
        String path = switch (what) {
            case "daily.csv" -> "/reports/daily?date=" + day;
            case "monthly.csv" -> "/reports/monthly?month=" + YearMonth.from(day);
            case "withholding.csv" -> "/tax/withholding?month=" + YearMonth.from(day);
            case "reconciliation.csv" -> "/reconciliations/" + ResidentPages.safe(id);
            case "statement.csv" -> "/channel/statement?date=" + day;
            default -> null;
        };
        if (path == null) {
            return Response.status(404).build();
        }
        Answer answer = services.getText(Service.SETTLEMENT, path, session.token(), "text/csv");
        if (!answer.ok()) {
            return Response.status(answer.status()).type(MediaType.TEXT_PLAIN).entity(answer.problem()).build();
        }
        return Response.ok(answer.text(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + what.replace(".csv", "") + "-" + day + ".csv\"").build();
    }

    private static long largestCharge(Object categories) {
        long max = 0;
        if (categories instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && m.get("chargedFen") instanceof Number n) {
                    max = Math.max(max, n.longValue());
                }
            }
        }
        return max;
    }

    static LocalDate day(String date) {
        try {
            return date == null || date.isBlank() ? LocalDate.now(SHANGHAI) : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            return LocalDate.now(SHANGHAI);
        }
    }
}
