package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.PlainText;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.domain.DisputeResolution;
import cn.jiujinbang.settlement.service.Disputes;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** Residents' disputes as finance and admins handle them. */
@Path("/disputes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.FINANCE, Roles.ADMIN})
public class DisputeResource {

    private final Disputes disputes;
    private final Caller caller;

    public DisputeResource(Disputes disputes, Caller caller) {
        this.disputes = disputes;
        this.caller = caller;
    }

    public record Resolution(String outcome, Long refundFen, String note) {
    }

    @GET
    @WithSession
    @Operation(summary = "Disputes by status (OPEN by default, or RESOLVED), oldest first, at most 500 (finance, admin)")
    public Uni<List<Disputes.View>> list(@QueryParam("status") @DefaultValue("OPEN") String status) {
        if (!status.equals("OPEN") && !status.equals("RESOLVED")) {
            throw ApiProblem.invalid("status", "must be OPEN or RESOLVED");
        }
        return disputes.inStatus(status);
    }

    @GET
    @Path("{orderId}")
    @WithSession
    @Operation(summary = "One order's dispute (finance, admin); 404 when the order was not disputed")
    public Uni<Disputes.View> get(@PathParam("orderId") String orderId) {
        return disputes.find(orderId).map(v -> {
            if (v == null) {
                throw ApiProblem.notFound("dispute of order " + orderId);
            }
            return v;
        });
    }

    @POST
    @Path("{orderId}/resolution")
    @Operation(summary = "Resolve a dispute (finance, admin): {outcome: PAY_IN_FULL | PARTIAL_REFUND | FULL_REFUND, "
            + "refundFen (a partial refund: 1 to the worker's net pay for the order), note}. The refund is owed to the "
            + "resident (account 2400); the worker's pay is released less what it gave back. 409 when resolved before, "
            + "not settled yet, or (a refund) when the worker was paid before the dispute")
    public Uni<Disputes.View> resolve(@PathParam("orderId") String orderId, Resolution body) {
        if (body == null || body.outcome() == null) {
            throw ApiProblem.invalid("outcome", "outcome is required: PAY_IN_FULL, PARTIAL_REFUND or FULL_REFUND");
        }
        DisputeResolution.Outcome outcome;
        try {
            outcome = DisputeResolution.Outcome.valueOf(body.outcome());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("outcome", "outcome must be PAY_IN_FULL, PARTIAL_REFUND or FULL_REFUND");
        }
        String note = PlainText.required(body.note(), "note", 500, "say what was decided and why, in 1 to 500 characters");
        return disputes.resolve(orderId, outcome, body.refundFen(), note, caller.mainRole(), caller.id());
    }
}
