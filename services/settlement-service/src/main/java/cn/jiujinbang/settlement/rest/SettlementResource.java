package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.problem.ApiProblem;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;

@Path("/settlements")
@Produces(MediaType.APPLICATION_JSON)
public class SettlementResource {

    private final Caller caller;

    public SettlementResource(Caller caller) {
        this.caller = caller;
    }

    public record SettlementView(String orderId, String workerId, String kind, long grossFen, long serviceFeeFen,
                                 long taxFen, long netFen, long chargedFen, String taxRule, String status,
                                 String chargeStatus, OffsetDateTime earnedAt, OffsetDateTime settledAt) {
        /** {@code chargeStatus}: the channel's answer to the resident's charge, PENDING until it comes (NONE: nothing to charge). */
        static SettlementView of(Settlement s, String chargeStatus) {
            return new SettlementView(s.orderId, s.workerId, s.kind.name(), s.grossFen, s.serviceFeeFen, s.taxFen,
                    s.netFen, s.chargedFen, s.taxRule, "SETTLED", chargeStatus, s.earnedAt, s.settledAt);
        }
    }

    @GET
    @Path("{orderId}")
    @WithSession
    @RolesAllowed({Roles.FINANCE, Roles.WORKER})
    @Operation(summary = "The settlement of an order (finance, or the worker it pays)")
    public Uni<SettlementView> get(@PathParam("orderId") String orderId) {
        return Panache.getSession().chain(session -> session.find(Settlement.class, orderId).chain(s -> {
            if (s == null) {
                throw ApiProblem.notFound("settlement of order " + orderId);
            }
            caller.mustBeFinanceOrWorker(s.workerId, "settlement of order " + orderId);
            return session.createNativeQuery(
                            "SELECT status FROM payment_instruction WHERE kind = 'CHARGE' AND order_id = :order", String.class)
                    .setParameter("order", orderId).getResultList()
                    .map(charge -> SettlementView.of(s, charge.isEmpty() ? "NONE" : charge.get(0)));
        }));
    }
}
