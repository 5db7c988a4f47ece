package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.Params;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.repository.WorkerIncome;
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

/** A worker's income and withholding statement, from the journal: what they show the tax office. */
@Path("/workers/{workerId}/statement")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {

    private final Caller caller;
    private final WorkerIncome income;

    public StatementResource(Caller caller, WorkerIncome income) {
        this.caller = caller;
        this.income = income;
    }

    public record Line(String orderId, String kind, OffsetDateTime earnedAt, long grossFen, long taxFen, long netFen) {
    }

    public record Totals(long grossFen, long taxFen, long netFen) {
        static Totals of(List<WorkerIncome.Entry> list) {
            return new Totals(list.stream().mapToLong(WorkerIncome.Entry::grossFen).sum(),
                    list.stream().mapToLong(WorkerIncome.Entry::taxFen).sum(), list.stream().mapToLong(WorkerIncome.Entry::netFen).sum());
        }
    }

    public record StatementView(String workerId, String month, List<Line> orders, Totals monthTotals,
                                Totals yearToDate) {
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.FINANCE, Roles.WORKER})
    @Operation(summary = "Income, tax withheld and net per order for a tax month (Asia/Shanghai), with the month's and "
            + "the year-to-date totals, from the journal (that worker, or finance)")
    public Uni<StatementView> statement(@PathParam("workerId") String workerId, @QueryParam("month") String month) {
        YearMonth period = Params.month(month, "month");
        caller.mustBeFinanceOrWorker(workerId, "statement of worker " + workerId);
        return income.ofWorker(workerId, period.getYear(), period.getMonthValue()).map(yearSoFar -> {
            List<WorkerIncome.Entry> inMonth = yearSoFar.stream().filter(e -> e.taxMonth() == period.getMonthValue()).toList();
            return new StatementView(workerId, period.toString(),
                    inMonth.stream().map(e -> new Line(e.orderId(), e.kind(), e.earnedAt(), e.grossFen(), e.taxFen(), e.netFen())).toList(),
                    Totals.of(inMonth), Totals.of(yearSoFar));
        });
    }
}
