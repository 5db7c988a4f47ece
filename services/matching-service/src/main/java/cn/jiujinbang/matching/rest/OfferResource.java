package cn.jiujinbang.matching.rest;

import cn.jiujinbang.platform.limits.CallerRateLimits;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.matching.rest.WorkerBodies.Accepted;
import cn.jiujinbang.matching.service.MatchingService;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.UUID;

@Path("/offers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.WORKER)
public class OfferResource {

    private final MatchingService matching;
    private final Caller caller;
    private final CallerRateLimits limits;

    public OfferResource(MatchingService matching, Caller caller, CallerRateLimits limits) {
        this.matching = matching;
        this.caller = caller;
        this.limits = limits;
    }

    @POST
    @Path("{offerId}/accept")
    @Operation(summary = "Accept an offer: 200 when this worker is assigned, 409 when taken, withdrawn or expired, "
            + "429 with Retry-After beyond 30 acceptances a minute")
    public Uni<Accepted> accept(@PathParam("offerId") String offerId) {
        limits.check("accept-offer", caller.id());
        return matching.accept(id(offerId), caller.id());
    }

    @POST
    @Path("{offerId}/decline")
    @Operation(summary = "Decline an offer")
    public Uni<Response> decline(@PathParam("offerId") String offerId) {
        return matching.decline(id(offerId), caller.id()).replaceWith(Response.noContent().build());
    }

    private static UUID id(String offerId) {
        try {
            return UUID.fromString(offerId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("offer " + offerId);
        }
    }
}
