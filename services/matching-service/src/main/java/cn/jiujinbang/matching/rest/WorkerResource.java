package cn.jiujinbang.matching.rest;

import cn.jiujinbang.platform.audit.AdminAudit;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.matching.OfferStatus;
import cn.jiujinbang.matching.repository.OfferChanges;
import cn.jiujinbang.matching.rest.WorkerBodies.Availability;
import cn.jiujinbang.matching.rest.WorkerBodies.OfferView;
import cn.jiujinbang.matching.rest.WorkerBodies.RegisterWorker;
import cn.jiujinbang.matching.rest.WorkerBodies.WorkerView;
import cn.jiujinbang.matching.service.MatchingService;
import cn.jiujinbang.matching.service.WorkerIdentity;
import cn.jiujinbang.matching.service.WorkerService;
import cn.jiujinbang.platform.limits.CallerRateLimits;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.Paging;
import cn.jiujinbang.platform.push.LiveStreams;
import cn.jiujinbang.platform.push.LiveStreams.ChangeSource;
import cn.jiujinbang.platform.push.LiveStreams.Changes;
import cn.jiujinbang.platform.security.Roles;
import io.smallrye.mutiny.Multi;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Map;

@Path("/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {

    private final WorkerService workers;
    private final MatchingService matching;
    private final Caller caller;
    private final OfferChanges offerChanges;
    private final LiveStreams streams;
    private final AdminAudit adminAudit;
    private final WorkerIdentity identity;
    private final CallerRateLimits limits;

    public WorkerResource(WorkerService workers, MatchingService matching, Caller caller,
                          OfferChanges offerChanges, LiveStreams streams, AdminAudit adminAudit,
                          WorkerIdentity identity, CallerRateLimits limits) {
        this.identity = identity;
        this.limits = limits;
        this.adminAudit = adminAudit;
        this.workers = workers;
        this.matching = matching;
        this.caller = caller;
        this.offerChanges = offerChanges;
        this.streams = streams;
    }

    @POST
    @RolesAllowed(Roles.WORKER)
    @APIResponse(responseCode = "201", description = "The registered worker; Location names them")
    @Operation(summary = "Register as a worker (the id is the token's subject); 409 if already registered")
    public Uni<Response> register(RegisterWorker body, UriInfo uri) {
        String id = caller.id();
        return workers.register(id, body).map(w -> Response.created(uri.getBaseUriBuilder().path("workers").path(id).build())
                .entity(WorkerView.of(w)).build());
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Change one's skills, home and radius")
    public Uni<WorkerView> update(@PathParam("id") String id, RegisterWorker body) {
        return workers.update(self(id), body).map(WorkerView::of);
    }

    @PUT
    @Path("{id}/availability")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Take work now (true) or not (false)")
    public Uni<WorkerView> availability(@PathParam("id") String id, Availability body) {
        return workers.setAvailability(self(id), body == null ? null : body.available()).map(WorkerView::of);
    }

    @GET
    @Path("{id}")
    @WithSession
    @RolesAllowed({Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "A worker's profile (the worker, or an admin)")
    public Uni<WorkerView> get(@PathParam("id") String id) {
        return workers.find(selfOrAdmin(id))
                .call(w -> adminAudit.read(AdminAction.WORKER_VIEWED, "worker " + id, Map.of()))
                .map(WorkerView::of);
    }

    @GET
    @WithSession
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "All workers by id (admin)")
    public Uni<List<WorkerView>> list(@QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        Paging.check(page, size, 500);
        return adminAudit.read(AdminAction.WORKERS_LISTED, "workers", Map.of("page", page, "size", size))
                .chain(() -> workers.page(page, size)).map(list -> list.stream().map(WorkerView::of).toList());
    }

    @GET
    @Path("{id}/offers")
    @WithSession
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "The worker's own offers, newest first; ?status=OFFERED for the open ones")
    public Uni<List<OfferView>> offers(@PathParam("id") String id, @QueryParam("status") String status) {
        String worker = self(id);
        OfferStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = OfferStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid("status", "must be one of " + java.util.Arrays.toString(OfferStatus.values()));
            }
        }
        return matching.offersOf(worker, wanted);
    }

    @GET
    @Path("{id}/offers/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Server-Sent Events: the worker's open offers, then an event per new or changed offer "
            + "(data = the offer as in the list, id = the change); reconnect with Last-Event-ID to get every change since")
    public Multi<OutboundSseEvent> offerStream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                                               @Context Sse sse) {
        String worker = self(id);
        long after = LiveStreams.lastEventId(lastEventId);
        ChangeSource source = (key, from) -> (from == LiveStreams.SNAPSHOT ? offerChanges.open(worker) : offerChanges.after(worker, from))
                .map(read -> Changes.of(read.changes(), OfferChanges.OfferChange::changeNumber, OfferView::of, read.latest()));
        return streams.open(OfferChanges.CHANNEL, worker, after, "offer", source, sse);
    }

    @GET
    @Path("{id}/verification")
    @WithSession
    @RolesAllowed({Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "The worker's real-name verification (masked name and ID number, status UNVERIFIED, VERIFIED "
            + "or REFUSED) and the labor-service agreement signed; mayAcceptOffers, payoutsHeld (the worker, or an admin)")
    public Uni<WorkerIdentity.Standing> verification(@PathParam("id") String id) {
        return identity.standing(selfOrAdmin(id))
                .call(st -> adminAudit.read(AdminAction.WORKER_VERIFICATION_VIEWED, "worker " + id, Map.of()));
    }

    @POST
    @Path("{id}/verification")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Verify one's real name: {\"name\", \"idNumber\"} as on the ID card, checked with the register. "
            + "400 for a malformed number, 422 when the register does not confirm it, 409 when already verified, "
            + "503 with Retry-After when the register cannot answer. Only masked forms are kept in the clear")
    public Uni<WorkerIdentity.Standing> verify(@PathParam("id") String id, WorkerBodies.Verify body) {
        String worker = self(id);
        limits.check("verify-identity", worker);
        return identity.verify(worker, body == null ? null : body.name(), body == null ? null : body.idNumber());
    }

    @POST
    @Path("{id}/agreement")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Sign the platform's labor-service agreement: {\"version\"} must be the current one "
            + "(currentAgreementVersion in the verification); until then payout batches hold the worker's earnings")
    public Uni<WorkerIdentity.Standing> sign(@PathParam("id") String id, WorkerBodies.Sign body) {
        return identity.sign(self(id), body == null ? null : body.version());
    }

    /** A worker acts only on themself; another worker's id is answered as unknown. */
    private String self(String id) {
        return caller.self(id, "worker " + id);
    }

    private String selfOrAdmin(String id) {
        return caller.is(Roles.ADMIN) ? id : self(id);
    }
}
