package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.Settlement;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;

/** A worker's income and withholding statement: what they show the tax office. */
@Path("/workers/{workerId}/statement")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {

    private final Caller caller;

    public StatementResource(Caller caller) {
        this.caller = caller;
    }

    public record Line(String orderId, String kind, OffsetDateTime earnedAt, long grossFen, long taxFen, long netFen) {
    }

    public record Totals(long grossFen, long taxFen, long netFen) {
        static Totals of(List<Settlement> list) {
            return new Totals(list.stream().mapToLong(s -> s.grossFen).sum(), list.stream().mapToLong(s -> s.taxFen).sum(),
                    list.stream().mapToLong(s -> s.netFen).sum());
        }
    }

    public record StatementView(String workerId, String month, List<Line> orders, Totals monthTotals,
                                Totals yearToDate) {
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.FINANCE, Roles.WORKER})
    @Operation(summary = "Income, tax withheld and net per order for a month (Asia/Shanghai), with the month's and "
            + "the year-to-date totals (that worker, or finance)")
    public Uni<StatementView> statement(@PathParam("workerId") String workerId, @QueryParam("month") String month) {
        YearMonth period = Params.month(month, "month");
        caller.mustBeFinanceOrWorker(workerId, "statement of worker " + workerId);
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                        from Settlement where workerId = :w and taxYear = :y and taxMonth <= :m order by seq""", Settlement.class)
                .setParameter("w", workerId).setParameter("y", period.getYear()).setParameter("m", period.getMonthValue())
                .getResultList()).map(yearSoFar -> {
            List<Settlement> inMonth = yearSoFar.stream().filter(s -> s.taxMonth == period.getMonthValue()).toList();
            return new StatementView(workerId, period.toString(),
                    inMonth.stream().map(s -> new Line(s.orderId, s.kind.name(), s.earnedAt, s.grossFen, s.taxFen, s.netFen)).toList(),
                    Totals.of(inMonth), Totals.of(yearSoFar));
        });
    }
}
