package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.security.Roles;
import cn.jiujinbang.settlement.payments.Escrow;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;

/** The resident's money held for an order (escrow), as the resident and finance see it. */
@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private final Escrow escrow;
    private final Caller caller;

    public PaymentResource(Escrow escrow, Caller caller) {
        this.escrow = escrow;
        this.caller = caller;
    }

    /**
     * {@code status}: PENDING while the channel is asked, HELD, CAPTURED, PARTIALLY_CAPTURED, VOIDED or
     * FAILED (refused, with {@code reason}); {@code heldFen} is the amount authorised (price + fee).
     */
    public record PaymentView(String orderId, String status, long heldFen, long capturedFen, long voidedFen,
                              OffsetDateTime expiresAt, String reason) {
    }

    @GET
    @Path("{orderId}")
    @RolesAllowed({Roles.FINANCE, Roles.RESIDENT})
    @Operation(summary = "The payment held for an order: held, captured, released (finance, or the order's resident)")
    public Uni<PaymentView> get(@PathParam("orderId") String orderId) {
        String what = "payment of order " + orderId;
        return escrow.view(orderId).map(found -> {
            Escrow.View v = found.orElseThrow(() -> ApiProblem.notFound(what));
            caller.mustBeFinanceOrResident(v.residentId(), what);
            return new PaymentView(v.orderId(), v.status(), v.heldFen(), v.capturedFen(), v.voidedFen(), v.expiresAt(),
                    v.reason());
        });
    }
}
