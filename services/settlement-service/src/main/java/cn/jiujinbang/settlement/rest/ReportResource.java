package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.Params;
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
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;

/**
 * Finance's daily and monthly figures (Asia/Shanghai), computed from the journal, so that a report
 * and the ledger can never disagree. A day's income figures are the SETTLEMENT and COMPENSATION
 * transactions posted that day; a month's are those whose tax period it is (the month the order was
 * completed), as the withholding return counts them. {@code movements} is every account's movement
 * in the journal over the period's posting time (worker payables summed as 2100). Each report also
 * shows the charges the channel failed: booked doubtful in the period, still outstanding at its end,
 * and the workers' net held for them. The identity charged = net + tax + fee is checked on the
 * journal's own lines, so it shows false if the journal ever broke it.
 */
@Path("/reports")
@RolesAllowed(Roles.FINANCE)
public class ReportResource {

    /** One account's net movement in the period (debit positive), worker payables summed as {@code 2100}. */
    public record Movement(String account, long movementFen) {
    }

    /** One category's settled orders in the period: how many, charged and net (for charts by category). */
    public record CategoryFigures(String categoryCode, long orders, long chargedFen, long netFen) {
    }

    public record Report(String period, OffsetDateTime from, OffsetDateTime to, long orders, long compensations,
                         long chargedFen, long grossFen, long serviceFeeFen, long taxFen, long netFen,
                         long compensationFen, boolean identityHolds, long doubtfulBookedFen,
                         long doubtfulOutstandingFen, long heldNetFen, List<Movement> movements,
                         List<CategoryFigures> byCategory) {
        String csv() {
            return "period,orders,compensations,chargedFen,grossFen,serviceFeeFen,taxFen,netFen,compensationFen,identityHolds,"
                    + "doubtfulBookedFen,doubtfulOutstandingFen,heldNetFen\n"
                    + String.join(",", period, String.valueOf(orders), String.valueOf(compensations), String.valueOf(chargedFen),
                    String.valueOf(grossFen), String.valueOf(serviceFeeFen), String.valueOf(taxFen), String.valueOf(netFen),
                    String.valueOf(compensationFen), String.valueOf(identityHolds), String.valueOf(doubtfulBookedFen),
                    String.valueOf(doubtfulOutstandingFen), String.valueOf(heldNetFen)) + "\n";
        }
    }

    /** The income figures of SETTLEMENT and COMPENSATION transactions, from their lines. */
    private static final String INCOME = """
            SELECT count(DISTINCT t.id) FILTER (WHERE t.kind = 'SETTLEMENT') AS orders,
                   count(DISTINCT t.id) FILTER (WHERE t.kind = 'COMPENSATION') AS compensations,
                   coalesce(sum(l.amount_fen) FILTER (WHERE l.account_code = '1100'), 0) AS charged,
                   coalesce(-sum(l.amount_fen) FILTER (WHERE l.account_code LIKE '2100:%'), 0) AS net,
                   coalesce(-sum(l.amount_fen) FILTER (WHERE l.account_code = '2200'), 0) AS tax,
                   coalesce(-sum(l.amount_fen) FILTER (WHERE l.account_code = '4000'), 0) AS fee,
                   coalesce(-sum(l.amount_fen) FILTER (WHERE t.kind = 'COMPENSATION'
                                                        AND (l.account_code LIKE '2100:%' OR l.account_code = '2200')), 0) AS compensation
            FROM journal_transaction t JOIN journal_line l ON l.transaction_id = t.id
            WHERE t.kind IN ('SETTLEMENT', 'COMPENSATION') AND """;
    private static final String BOOKED_IN_PERIOD = " t.created_at >= :from AND t.created_at < :to";
    private static final String OF_TAX_MONTH = " t.tax_year = :year AND t.tax_month = :month"; // the text block above ends in AND: its trailing space is stripped

    @GET
    @Path("daily")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One day's orders and money (Asia/Shanghai day), from the journal")
    public Uni<Report> daily(@QueryParam("date") String date) {
        LocalDate day = Params.date(date, "date");
        return report(day.toString(), ClockProducer.startOf(day), ClockProducer.startOf(day.plusDays(1)), null);
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
    @Operation(summary = "One tax month's orders and money (the month of completion, Asia/Shanghai), from the journal")
    public Uni<Report> monthly(@QueryParam("month") String month) {
        YearMonth m = Params.month(month, "month");
        return report(m.toString(), ClockProducer.startOf(m.atDay(1)), ClockProducer.startOf(m.plusMonths(1).atDay(1)), m);
    }

    @GET
    @Path("monthly")
    @WithSession
    @Produces("text/csv")
    public Uni<String> monthlyCsv(@QueryParam("month") String month) {
        return monthly(month).map(Report::csv);
    }

    private Uni<Report> report(String period, OffsetDateTime from, OffsetDateTime to, YearMonth taxMonth) {
        return Panache.getSession().chain(s -> income(s, from, to, taxMonth).chain(income -> doubtful(s, from, to)
                .chain(doubtful -> movements(s, from, to).chain(movements -> byCategory(s, from, to, taxMonth).map(categories -> {
                    long charged = n(income, "charged");
                    long fee = n(income, "fee");
                    long tax = n(income, "tax");
                    long net = n(income, "net");
                    return new Report(period, from, to, n(income, "orders"), n(income, "compensations"), charged, net + tax,
                            fee, tax, net, n(income, "compensation"), charged == net + tax + fee, n(doubtful, "booked"),
                            n(doubtful, "open"), n(doubtful, "held"), movements, categories);
                })))));
    }

    /** Settled orders by category, in the same period as the income figures (booked in it, or of its tax month). */
    private static Uni<List<CategoryFigures>> byCategory(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to, YearMonth taxMonth) {
        String inPeriod = taxMonth == null ? " settled_at >= :from AND settled_at < :to" : " tax_year = :year AND tax_month = :month";
        var query = s.createNativeQuery("SELECT coalesce(category_code, '?') AS category, count(*) AS orders,"
                + " coalesce(sum(charged_fen), 0) AS charged, coalesce(sum(net_fen), 0) AS net"
                + " FROM settlement WHERE kind = 'ORDER' AND" + inPeriod + " GROUP BY 1 ORDER BY 3 DESC, 1", Tuple.class);
        if (taxMonth == null) {
            query.setParameter("from", from).setParameter("to", to);
        } else {
            query.setParameter("year", taxMonth.getYear()).setParameter("month", taxMonth.getMonthValue());
        }
        return query.getResultList().map(rows -> rows.stream().map(r -> new CategoryFigures(r.get("category", String.class),
                n(r, "orders"), n(r, "charged"), n(r, "net"))).toList());
    }

    private static Uni<Tuple> income(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to, YearMonth taxMonth) {
        if (taxMonth == null) {
            return s.createNativeQuery(INCOME + BOOKED_IN_PERIOD, Tuple.class)
                    .setParameter("from", from).setParameter("to", to).getSingleResult();
        }
        return s.createNativeQuery(INCOME + OF_TAX_MONTH, Tuple.class)
                .setParameter("year", taxMonth.getYear()).setParameter("month", taxMonth.getMonthValue()).getSingleResult();
    }

    private static Uni<Tuple> doubtful(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery("""
                        SELECT coalesce(sum(amount_fen) FILTER (WHERE created_at >= :from), 0) AS booked,
                               coalesce(sum(amount_fen) FILTER (WHERE resolved_at IS NULL OR resolved_at >= :to), 0) AS open,
                               coalesce(sum(held_net_fen) FILTER (WHERE resolved_at IS NULL OR resolved_at >= :to), 0) AS held
                        FROM doubtful_receivable WHERE created_at < :to""", Tuple.class)
                .setParameter("from", from).setParameter("to", to).getSingleResult();
    }

    private static Uni<List<Movement>> movements(Mutiny.Session s, OffsetDateTime from, OffsetDateTime to) {
        return s.createNativeQuery("""
                        SELECT CASE WHEN l.account_code LIKE '2100:%' THEN '2100' ELSE l.account_code END AS account,
                               sum(l.amount_fen) AS movement
                        FROM journal_transaction t JOIN journal_line l ON l.transaction_id = t.id
                        WHERE t.created_at >= :from AND t.created_at < :to
                        GROUP BY 1 ORDER BY 1""", Tuple.class)
                .setParameter("from", from).setParameter("to", to).getResultList()
                .map(rows -> rows.stream().map(r -> new Movement(r.get("account", String.class), n(r, "movement"))).toList());
    }

    private static long n(Tuple row, String column) {
        return row.get(column, Number.class).longValue();
    }
}
