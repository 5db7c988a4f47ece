package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.Params;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.TaxRegime;
import cn.jiujinbang.settlement.domain.WithholdingLine;
import cn.jiujinbang.settlement.domain.YearIncome;
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

import java.time.Year;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tax filing data from the journal: the monthly withholding return's detail per worker, and each
 * worker's yearly income and tax statement.
 */
@Path("/")
public class TaxResource {

    private final WorkerIncome income;
    private final TaxRegime taxes;
    private final Caller caller;

    public TaxResource(WorkerIncome income, TaxRegime taxes, Caller caller) {
        this.income = income;
        this.taxes = taxes;
        this.caller = caller;
    }

    public record MonthLine(String month, String taxRule, long grossFen, long taxFen, long netFen) {
    }

    public record TaxStatement(String workerId, int year, List<MonthLine> months, long grossFen, long taxFen, long netFen) {
    }

    @GET
    @Path("tax/withholding")
    @WithSession
    @RolesAllowed(Roles.FINANCE)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The withholding return's detail for a tax month: one line per worker who earned in it "
            + "(income, expenses, deduction, taxable, tax; cumulative over the run of consecutive months under 2025 No. 16)")
    public Uni<List<WithholdingLine>> withholding(@QueryParam("month") String month) {
        YearMonth m = Params.month(month, "month");
        return income.monthsOfWorkersEarningIn(m.getYear(), m.getMonthValue()).map(rows -> {
            Map<String, YearIncome> years = new LinkedHashMap<>();
            for (WorkerIncome.Month r : rows) {
                years.computeIfAbsent(r.workerId(), w -> new YearIncome()).add(r.month(), Money.fen(r.grossFen()), Money.fen(r.taxFen()));
            }
            List<WithholdingLine> lines = new ArrayList<>(years.size());
            years.forEach((worker, year) -> lines.add(WithholdingLine.of(worker, m, taxes, year)));
            return lines;
        });
    }

    @GET
    @Path("tax/withholding")
    @WithSession
    @RolesAllowed(Roles.FINANCE)
    @Produces("text/csv")
    public Uni<String> withholdingCsv(@QueryParam("month") String month) {
        return withholding(month).map(lines -> {
            StringBuilder csv = new StringBuilder(WithholdingLine.CSV_HEADER).append('\n');
            lines.forEach(l -> csv.append(l.csv()).append('\n'));
            return csv.toString();
        });
    }

    @GET
    @Path("workers/{workerId}/tax-statement")
    @WithSession
    @RolesAllowed({Roles.FINANCE, Roles.WORKER})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A worker's income and tax withheld by tax month of a year, with the year's totals (that worker, or finance)")
    public Uni<TaxStatement> taxStatement(@PathParam("workerId") String workerId, @QueryParam("year") String year) {
        int y = Params.year(year, "year");
        caller.mustBeFinanceOrWorker(workerId, "tax statement of worker " + workerId);
        return income.ofWorker(workerId, y, 12).map(entries -> {
            Map<Integer, long[]> byMonth = new java.util.TreeMap<>();
            for (WorkerIncome.Entry e : entries) {
                long[] sums = byMonth.computeIfAbsent(e.taxMonth(), m -> new long[3]);
                sums[0] += e.grossFen();
                sums[1] += e.taxFen();
                sums[2] += e.netFen();
            }
            List<MonthLine> months = new ArrayList<>();
            byMonth.forEach((m, sums) -> months.add(new MonthLine(YearMonth.of(y, m).toString(),
                    taxes.ruleFor(YearMonth.of(y, m)).name(), sums[0], sums[1], sums[2])));
            return new TaxStatement(workerId, y, months, months.stream().mapToLong(MonthLine::grossFen).sum(),
                    months.stream().mapToLong(MonthLine::taxFen).sum(), months.stream().mapToLong(MonthLine::netFen).sum());
        });
    }
}
