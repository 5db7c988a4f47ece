package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;

/**
 * Finance's daily and monthly figures (Asia/Shanghai): a day's are the settlements booked that day,
 * a month's the settlements whose tax month it is (the month the order was completed), as the
 * withholding return counts them. Each also shows the charges the channel failed: booked doubtful
 * in the period, still outstanding at its end, and the workers' net held for them. The identity charged = net + tax + fee is checked and shown.
 */
@Path("/reports")
@RolesAllowed(Roles.FINANCE)
public class ReportResource {

    public record Report(String period, OffsetDateTime from, OffsetDateTime to, long orders, long compensations,
                         long chargedFen, long grossFen, long serviceFeeFen, long taxFen, long netFen,
                         long compensationFen, boolean identityHolds, long doubtfulBookedFen,
                         long doubtfulOutstandingFen, long heldNetFen) {
        String csv() {
            return "period,orders,compensations,chargedFen,grossFen,serviceFeeFen,taxFen,netFen,compensationFen,identityHolds,"
                    + "doubtfulBookedFen,doubtfulOutstandingFen,heldNetFen\n"
                    + String.join(",", period, String.valueOf(orders), String.valueOf(compensations), String.valueOf(chargedFen),
                    String.valueOf(grossFen), String.valueOf(serviceFeeFen), String.valueOf(taxFen), String.valueOf(netFen),
                    String.valueOf(compensationFen), String.valueOf(identityHolds), String.valueOf(doubtfulBookedFen),
                    String.valueOf(doubtfulOutstandingFen), String.valueOf(heldNetFen)) + "\n";
        }
    }

    @GET
    @Path("daily")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One day's orders and money (Asia/Shanghai day)")
    public Uni<Report> daily(@QueryParam("date") String date) {
        LocalDate day = Params.date(date, "date");
        return report(day.toString(), ClockProducer.startOf(day), ClockProducer.startOf(day.plusDays(1)),
                "settled_at >= :from AND settled_at < :to", null);
    }

    @GET
    @Path("daily")
    @WithSession
    @Produces("text/csv")
    public Uni<String> dailyCsv(@QueryParam("date") String date) {
        return daily(date).map(Report::csv);
    }

    @GET
    @Path("monthly")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One month's orders and money (Asia/Shanghai month)")
    public Uni<Report> monthly(@QueryParam("month") String month) {
        YearMonth m = Params.month(month, "month");
        // the tax month (the month of completion), so the month's tax is its withholding return's
        return report(m.toString(), ClockProducer.startOf(m.atDay(1)), ClockProducer.startOf(m.plusMonths(1).atDay(1)),
                "tax_year = :year AND tax_month = :month", m);
    }

    @GET
    @Path("monthly")
    @WithSession
    @Produces("text/csv")
    public Uni<String> monthlyCsv(@QueryParam("month") String month) {
        return monthly(month).map(Report::csv);
    }

    private Uni<Report> report(String period, OffsetDateTime from, OffsetDateTime to, String where, YearMonth month) {
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery("""
                        SELECT count(*) FILTER (WHERE kind = 'ORDER') AS orders,
                               count(*) FILTER (WHERE kind = 'COMPENSATION') AS compensations,
                               coalesce(sum(charged_fen), 0) AS charged, coalesce(sum(gross_fen), 0) AS gross,
                               coalesce(sum(service_fee_fen), 0) AS fee, coalesce(sum(tax_fen), 0) AS tax,
                               coalesce(sum(net_fen), 0) AS net,
                               coalesce(sum(gross_fen) FILTER (WHERE kind = 'COMPENSATION'), 0) AS compensation,
                               (SELECT coalesce(sum(d.amount_fen), 0) FROM doubtful_receivable d
                                WHERE d.created_at >= :from AND d.created_at < :to) AS doubtful_booked,
                               (SELECT coalesce(sum(d.amount_fen), 0) FROM doubtful_receivable d
                                WHERE d.created_at < :to AND (d.resolved_at IS NULL OR d.resolved_at >= :to)) AS doubtful_open,
                               (SELECT coalesce(sum(d.held_net_fen), 0) FROM doubtful_receivable d
                                WHERE d.created_at < :to AND (d.resolved_at IS NULL OR d.resolved_at >= :to)) AS held_net
                        FROM settlement WHERE""" + " " + where, Tuple.class);
            query.setParameter("from", from).setParameter("to", to);
            if (month != null) {
                query.setParameter("year", month.getYear()).setParameter("month", month.getMonthValue());
            }
            return query.getSingleResult();
        }).map(r -> {
            long charged = n(r, "charged");
            long fee = n(r, "fee");
            long tax = n(r, "tax");
            long net = n(r, "net");
            return new Report(period, from, to, n(r, "orders"), n(r, "compensations"), charged, n(r, "gross"), fee, tax, net,
                    n(r, "compensation"), charged == net + tax + fee, n(r, "doubtful_booked"), n(r, "doubtful_open"),
                    n(r, "held_net"));
        });
    }

    private static long n(Tuple row, String column) {
        return row.get(column, Number.class).longValue();
    }
}
