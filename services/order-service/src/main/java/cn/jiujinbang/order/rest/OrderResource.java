package cn.jiujinbang.order.rest;

import cn.jiujinbang.order.service.OrderRatings;
import cn.jiujinbang.platform.audit.AdminAudit;
import cn.jiujinbang.platform.limits.CallerRateLimits;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.order.domain.OrderStatus;
import cn.jiujinbang.order.domain.StartCode;
import cn.jiujinbang.order.repository.OrderChanges;
import cn.jiujinbang.order.repository.OrderRepository;
import cn.jiujinbang.order.repository.OrderRepository.OrderFilter;
import cn.jiujinbang.order.rest.OrderRequests.Cancel;
import cn.jiujinbang.order.rest.OrderRequests.PostOrder;
import cn.jiujinbang.order.rest.OrderViews.OrderPage;
import cn.jiujinbang.order.rest.OrderViews.OrderView;
import cn.jiujinbang.order.rest.OrderViews.TransitionView;
import cn.jiujinbang.order.service.OrderService;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.Paging;
import cn.jiujinbang.platform.push.LiveStreams;
import cn.jiujinbang.platform.push.LiveStreams.ChangeSource;
import cn.jiujinbang.platform.push.LiveStreams.Changes;
import cn.jiujinbang.platform.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    public static final int MAX_PAGE_SIZE = 100;

    private final OrderService service;
    private final OrderRepository orders;
    private final Caller caller;
    private final CallerRateLimits limits;
    private final OrderChanges changes;
    private final LiveStreams streams;
    private final AdminAudit adminAudit;
    private final OrderRatings ratings;

    public OrderResource(OrderService service, OrderRepository orders, Caller caller, OrderChanges changes,
                         LiveStreams streams, CallerRateLimits limits, AdminAudit adminAudit,
                         OrderRatings ratings) {
        this.adminAudit = adminAudit;
        this.ratings = ratings;
        this.service = service;
        this.orders = orders;
        this.caller = caller;
        this.limits = limits;
        this.changes = changes;
        this.streams = streams;
    }

    @POST
    @RolesAllowed(Roles.RESIDENT)
    @APIResponse(responseCode = "201", description = "The order (a retry with the same Idempotency-Key: the first order); Location names it")
    @Operation(summary = "Post a request (resident). An Idempotency-Key makes retries return the first order; "
            + "400 names each invalid field, 422 when the key was used for a different request, "
            + "429 with Retry-After beyond 20 postings a minute")
    public Uni<Response> post(PostOrder body, @HeaderParam("Idempotency-Key") String idempotencyKey, UriInfo uri) {
        limits.check("post-order", subject());
        return service.post(subject(), body, idempotencyKey).map(posted -> Response
                .status(Response.Status.CREATED)
                .location(uri.getBaseUriBuilder().path("orders").path(posted.order().id.toString()).build())
                .entity(OrderView.of(posted.order()))
                .build());
    }

    @GET
    @Path("{id}")
    @WithSession
    @RolesAllowed({Roles.RESIDENT, Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "One order: its resident, its assigned worker or an admin; 404 for anyone else")
    public Uni<OrderView> get(@PathParam("id") String id) {
        return service.visibleOrder(orderId(id), role(), subject())
                .call(o -> adminAudit.read(AdminAction.ORDER_VIEWED, "order " + o.id, Map.of("residentId", o.residentId)))
                .map(o -> OrderView.seenBy(o, role(), subject()));
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.RESIDENT, Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "Own orders, newest first (a resident's posts, a worker's assignments; all for admins)")
    public Uni<OrderPage> list(@QueryParam("status") String status, @QueryParam("page") @DefaultValue("0") int page,
                               @QueryParam("size") @DefaultValue("20") int size) {
        Paging.check(page, size, MAX_PAGE_SIZE);
        OrderStatus wanted = parseStatus(status);
        String role = role();
        OrderFilter filter = new OrderFilter(role.equals(Roles.RESIDENT) ? subject() : null,
                role.equals(Roles.WORKER) ? subject() : null, wanted);
        return adminAudit.read(AdminAction.ORDERS_LISTED, "orders",
                        Map.of("status", wanted == null ? "any" : wanted.name(), "page", page, "size", size))
                .chain(() -> orders.page(filter, page, size)).chain(items -> orders.count(filter)
                .map(total -> new OrderPage(items.stream().map(o -> OrderView.seenBy(o, role, subject())).toList(),
                        page, size, total)));
    }

    @GET
    @Path("status-counts")
    @WithSession
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "How many orders are in each status now (admin; numbers only, so not in the audit trail): "
            + "{\"POSTED\": 3, ...}, every status present")
    public Uni<java.util.Map<String, Long>> statusCounts() {
        return orders.countByStatus().map(counts -> {
            java.util.Map<String, Long> all = new java.util.LinkedHashMap<>();
            for (OrderStatus status : OrderStatus.values()) {
                all.put(status.name(), counts.getOrDefault(status, 0L));
            }
            return all;
        });
    }

    @GET
    @Path("{id}/history")
    @WithSession
    @RolesAllowed({Roles.RESIDENT, Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "Every transition of the order with its time and actor")
    public Uni<List<TransitionView>> history(@PathParam("id") String id) {
        UUID orderId = orderId(id);
        return service.visibleOrder(orderId, role(), subject())
                .call(o -> adminAudit.read(AdminAction.ORDER_HISTORY_VIEWED, "order " + o.id, Map.of("residentId", o.residentId)))
                .chain(o -> service.history(orderId))
                .map(list -> list.stream().map(TransitionView::of).toList());
    }

    @GET
    @Path("{id}/stream")
    @Blocking // only the check of who may stream (before the first byte, so a stranger gets a real 404)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Roles.RESIDENT, Roles.WORKER, Roles.ADMIN})
    @Operation(summary = "Server-Sent Events: the order now, then an event per status change (data = the order, "
            + "id = the step); reconnect with Last-Event-ID to get every change since. Whoever may GET the order")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                                          @Context Sse sse) {
        UUID orderId = orderId(id);
        long after = LiveStreams.lastEventId(lastEventId);
        String role = role();
        String subject = subject();
        ChangeSource source = (key, from) -> from == LiveStreams.SNAPSHOT
                ? changes.current(orderId).map(now -> now == null ? new Changes(List.of(), 0)
                        : Changes.of(List.of(now), OrderChanges.OrderChange::id,
                                c -> OrderView.seenBy(c.order(), role, subject), now.id()))
                : changes.after(orderId, from).map(read -> Changes.of(read.changes(), OrderChanges.OrderChange::id,
                        c -> OrderView.seenBy(c.order(), role, subject), read.latest()));
        OrderChanges.OrderChange now = changes.current(orderId).await().atMost(Duration.ofSeconds(10));
        if (now == null || !OrderService.mayRead(now.order(), role(), subject())) {
            throw ApiProblem.notFound("order " + id);
        }
        adminAudit.readBlocking(AdminAction.ORDER_STREAMED, "order " + orderId, Map.of("residentId", now.order().residentId));
        return streams.open(OrderChanges.CHANNEL, orderId.toString(), after, "order", source, sse);
    }

    @GET
    @Path("{id}/rating")
    @WithSession
    @RolesAllowed({Roles.RESIDENT, Roles.WORKER})
    @Operation(summary = "The order's rating (its resident or its worker); 404 when it is not rated yet")
    public Uni<OrderRatings.GivenRating> rating(@PathParam("id") String id) {
        UUID orderId = orderId(id);
        return service.visibleOrder(orderId, role(), subject()).chain(o -> ratings.ofOrder(orderId))
                .map(r -> {
                    if (r == null) {
                        throw ApiProblem.notFound("rating of order " + id);
                    }
                    return r;
                });
    }

    @POST
    @Path("{id}/rating")
    @RolesAllowed(Roles.RESIDENT)
    @APIResponse(responseCode = "201", description = "The rating given")
    @Operation(summary = "Rate the worker who did the order, 1 to 5 stars and an optional comment (the order's resident, "
            + "once, after the work is confirmed: 409 before or the second time)")
    public Uni<Response> rate(@PathParam("id") String id, OrderRequests.Rate body) {
        return ratings.rate(orderId(id), subject(), body == null ? null : body.stars(), body == null ? null : body.comment())
                .map(given -> Response.status(201).entity(given).build());
    }

    @POST
    @Path("{id}/rating/report")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Report the order's rating as abusive (admin): {\"reason\"}. The rating is withdrawn: it no longer "
            + "counts in the worker's rating nor shows among their ratings; audited. 404 without a rating, 409 when reported before")
    public Uni<OrderRatings.GivenRating> reportRating(@PathParam("id") String id, OrderRequests.Report body) {
        return ratings.report(orderId(id), subject(), body == null ? null : body.reason());
    }

    @POST
    @Path("{id}/dispute")
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Dispute the work (the order's resident): {\"reason\"}, while it awaits confirmation or up to 72 h "
            + "after an automatic confirmation; the worker's pay is held until finance or an admin resolves it. "
            + "409 after confirming oneself, after 72 h, or a second time")
    public Uni<OrderView> dispute(@PathParam("id") String id, OrderRequests.Dispute body) {
        return service.dispute(orderId(id), subject(), body == null ? null : body.reason())
                .map(o -> OrderView.seenBy(o, role(), subject()));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Cancel before the work starts (resident); 409 once it has started")
    public Uni<OrderView> cancel(@PathParam("id") String id, Cancel body) {
        return service.cancel(orderId(id), subject(), body == null ? null : body.reason()).map(OrderView::of);
    }

    @POST
    @Path("{id}/start")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Start the job at the door (the assigned worker) with the resident's four-digit code: "
            + "{\"code\":\"0427\"}. 400 without a code, 422 for a wrong one (attempts left in the detail); the fifth "
            + "wrong code in a row locks starting this order for 10 minutes (429 with Retry-After)")
    public Uni<OrderView> start(@PathParam("id") String id, OrderRequests.Start body) {
        UUID orderId = orderId(id);
        String code = body == null ? null : body.code();
        if (!StartCode.wellFormed(code)) {
            throw ApiProblem.invalid("code", "the four digits the resident's app shows are required");
        }
        return service.start(orderId, subject(), code).map(OrderView::of);
    }

    @POST
    @Path("{id}/done")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "Report the job done (the assigned worker); the resident then confirms")
    public Uni<OrderView> done(@PathParam("id") String id) {
        return service.finish(orderId(id), subject()).map(OrderView::of);
    }

    @POST
    @Path("{id}/confirm")
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Confirm the job was done (resident); settlement follows")
    public Uni<OrderView> confirm(@PathParam("id") String id) {
        return service.confirm(orderId(id), subject()).map(OrderView::of);
    }

    private String subject() {
        return caller.id();
    }

    private String role() {
        return caller.mainRole();
    }

    private static UUID orderId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("order " + id);
        }
    }

    private static OrderStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("status", "must be one of " + java.util.Arrays.toString(OrderStatus.values()));
        }
    }
}
