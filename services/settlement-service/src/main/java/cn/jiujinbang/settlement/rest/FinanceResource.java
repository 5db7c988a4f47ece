package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.Params;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.channel.SimulatedPaymentChannel;
import cn.jiujinbang.settlement.service.DoubtfulReceivables;
import cn.jiujinbang.settlement.service.PayoutService;
import cn.jiujinbang.settlement.service.PayoutService.BatchView;
import cn.jiujinbang.settlement.service.ReconciliationService;
import cn.jiujinbang.settlement.service.ReconciliationService.Report;
import cn.jiujinbang.settlement.domain.ChannelStatement;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;

/** Finance staff's operations: payout batches and the reconciliation of the channel's statement. */
@Path("/")
@RolesAllowed(Roles.FINANCE)
public class FinanceResource {

    private final PayoutService payouts;
    private final ReconciliationService reconciliations;
    private final DoubtfulReceivables doubtful;
    private final Instance<SimulatedPaymentChannel> simulator;
    private final Caller caller;

    public FinanceResource(PayoutService payouts, ReconciliationService reconciliations, DoubtfulReceivables doubtful,
                           Instance<SimulatedPaymentChannel> simulator, Caller caller) {
        this.payouts = payouts;
        this.reconciliations = reconciliations;
        this.doubtful = doubtful;
        this.simulator = simulator;
        this.caller = caller;
    }

    public record Resolution(String outcome, String note) {
    }

    @GET
    @Path("doubtful-receivables")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Charges the channel failed, still open: the amount doubtful and the worker's net held from payouts")
    public Uni<List<DoubtfulReceivables.View>> openDoubtful() {
        return doubtful.open();
    }

    @POST
    @Path("doubtful-receivables/{orderId}/resolution")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve a failed charge: RECOLLECTED (the money arrived after all) or WRITTEN_OFF (the platform's "
            + "loss); either releases the worker's net to the next payout batch. The note says why; who is recorded.")
    public Uni<DoubtfulReceivables.View> resolve(@PathParam("orderId") String orderId, Resolution body) {
        String id = Params.id(orderId, "doubtful receivable of order").toString();
        if (body == null || body.outcome() == null) {
            throw ApiProblem.invalid("outcome", "outcome is required: RECOLLECTED or WRITTEN_OFF");
        }
        DoubtfulReceivables.Resolution outcome;
        try {
            outcome = DoubtfulReceivables.Resolution.valueOf(body.outcome());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("outcome", "outcome must be RECOLLECTED or WRITTEN_OFF");
        }
        if (body.note() == null || body.note().isBlank() || body.note().length() > 500) {
            throw ApiProblem.invalid("note", "say why, in 1 to 500 characters");
        }
        return doubtful.resolve(id, outcome, caller.id(), body.note().strip());
    }

    public record BatchRequest(String date) {
    }

    @POST
    @Path("payout-batches")
    @APIResponse(responseCode = "201", description = "The batch for the date with all its payouts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pay every worker owed money from settlements up to the date (end of day, Asia/Shanghai); "
            + "the same date again pays only what was booked since and returns that batch")
    public Uni<Response> runBatch(BatchRequest body, UriInfo uri) {
        LocalDate date = Params.date(body == null ? null : body.date(), "date");
        return payouts.run(date, caller.id()).map(batch -> Response.created(uri.getBaseUriBuilder().path("payout-batches")
                .path(batch.id().toString()).build()).entity(batch).build());
    }

    @GET
    @Path("payout-batches/{id}")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A payout batch with its payouts and their status (INSTRUCTED, SENT, CONFIRMED, FAILED)")
    public Uni<BatchView> batch(@PathParam("id") String id) {
        return payouts.byId(Params.id(id, "payout batch")).map(b -> found(b, "payout batch " + id));
    }

    @POST
    @Path("reconciliations")
    @APIResponse(responseCode = "201", description = "The reconciliation report (the first one again for a statement imported before)")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import the channel's statement (CSV: channelTxnId,reference,type,amountFen,status,settledAt) "
            + "and reconcile it; a malformed file is a 400 naming line and column")
    @Blocking // the file is read as it arrives, a line at a time, on a worker thread: never held whole
    public Response reconcile(InputStream csv, @Context UriInfo uri) {
        ChannelStatement statement = ReconciliationService.read(csv);
        String actor = caller.id();
        Report report;
        try {
            report = VertxContextSupport.subscribeAndAwait(() -> reconciliations.importStatement(statement, actor));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new java.util.concurrent.CompletionException(e); // the mappers read the cause (e.g. a database outage: 503)
        }
        return Response.created(uri.getBaseUriBuilder().path("reconciliations").path(report.id().toString()).build())
                .entity(report).build();
    }

    @GET
    @Path("reconciliations/{id}")
    @WithSession
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A reconciliation report (JSON, or text/csv with one row per finding)")
    public Uni<Report> reconciliation(@PathParam("id") String id) {
        return reconciliations.byId(Params.id(id, "reconciliation")).map(r -> found(r, "reconciliation " + id));
    }

    @GET
    @Path("reconciliations/{id}")
    @WithSession
    @Produces("text/csv")
    public Uni<String> reconciliationCsv(@PathParam("id") String id) {
        return reconciliation(id).map(ReconciliationService::csv);
    }

    @GET
    @Path("channel/statement")
    @WithSession
    @Produces("text/csv")
    @Operation(summary = "Simulated channel only: its statement for a day (?date=YYYY-MM-DD, Asia/Shanghai) "
            + "or a time range (?from=&to=, ISO-8601)")
    public Uni<String> simulatedStatement(@QueryParam("date") String date, @QueryParam("from") String from,
                                          @QueryParam("to") String to) {
        if (!simulator.isResolvable()) {
            throw ApiProblem.notFound("a statement export (the configured payment channel is not the simulator)");
        }
        if (date != null) {
            LocalDate day = Params.date(date, "date");
            return simulator.get().statementCsv(ClockProducer.startOf(day),
                    ClockProducer.startOf(day.plusDays(1)));
        }
        return simulator.get().statementCsv(Params.time(from, "from"), Params.time(to, "to"));
    }

    private static <T> T found(T value, String what) {
        if (value == null) {
            throw ApiProblem.notFound(what);
        }
        return value;
    }
}
