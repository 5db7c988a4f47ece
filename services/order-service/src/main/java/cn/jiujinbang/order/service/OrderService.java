package cn.jiujinbang.order.service;

import cn.jiujinbang.catalog.Catalog;
import cn.jiujinbang.order.Order;
import cn.jiujinbang.order.OrderTransition;
import cn.jiujinbang.order.config.FeeSchedule;
import cn.jiujinbang.order.domain.DisputeRules;
import cn.jiujinbang.order.domain.IllegalTransitionException;
import cn.jiujinbang.order.domain.OrderAction;
import cn.jiujinbang.order.domain.OrderLifecycle;
import cn.jiujinbang.order.domain.OrderStatus;
import cn.jiujinbang.order.domain.PostingRules;
import cn.jiujinbang.order.domain.ServiceFee;
import cn.jiujinbang.order.domain.StartCode;
import cn.jiujinbang.order.repository.OrderRepository;
import cn.jiujinbang.order.rest.OrderRequests.PostOrder;
import cn.jiujinbang.platform.booking.BookingPolicy;
import cn.jiujinbang.platform.notify.NotificationKind;
import cn.jiujinbang.platform.notify.Notifications;
import cn.jiujinbang.platform.events.DisputeResolved;
import cn.jiujinbang.platform.events.Location;
import cn.jiujinbang.platform.events.OrderDisputed;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.events.OrderStarted;
import cn.jiujinbang.platform.events.TimeWindow;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.PlainText;
import cn.jiujinbang.platform.problem.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The order use cases: posting, the lifecycle steps of residents, workers, matching and settlement,
 * and auto-confirmation. Each runs in one transaction that also writes the announcing event into
 * the outbox and the step into the order's history.
 */
@ApplicationScoped
public class OrderService {

    private final OrderRepository orders;
    private final Outbox outbox;
    private final FeeSchedule fees;
    private final Clock clock;
    private final ObjectMapper json;
    private final Catalog catalog = Catalog.standard();
    private final RandomGenerator startCodes = new SecureRandom();

    private final BookingPolicy booking;
    private final Notifications notifications;

    public OrderService(OrderRepository orders, Outbox outbox, FeeSchedule fees, Clock clock, ObjectMapper json,
                        BookingPolicy booking, Notifications notifications) {
        this.booking = booking;
        this.notifications = notifications;
        this.orders = orders;
        this.outbox = outbox;
        this.fees = fees;
        this.clock = clock;
        this.json = json;
    }

    /** The result of a post: the order, and whether this request created it (false for a retry). */
    public record Posted(Order order, boolean created) {
    }

    /** Who made a change, as the history shows it. */
    public record Actor(String kind, String id) {
        public static Actor resident(String id) {
            return new Actor("resident", id);
        }

        public static Actor worker(String id) {
            return new Actor("worker", id);
        }

        public static Actor system(String what) {
            return new Actor("system", what);
        }

        @Override
        public String toString() {
            return kind + ":" + id;
        }
    }

    // ---- posting ---------------------------------------------------------------------------

    public Uni<Posted> post(String residentId, PostOrder request, String idempotencyKey) {
        return Uni.createFrom().item(() -> newOrder(residentId, request))
                .chain(order -> Panache.withTransaction(() -> idempotencyKey == null
                        ? insert(order).map(o -> new Posted(o, true))
                        : claimKey(residentId, idempotencyKey, requestHash(request), order)));
    }

    private Order newOrder(String residentId, PostOrder request) {
        if (request == null) {
            throw ApiProblem.invalid("body", "a JSON order is required");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        var location = request.location();
        var window = request.window();
        List<Problem.InvalidField> errors = new ArrayList<>();
        Catalog.ServiceType service = catalog.service(request.serviceCode()).orElse(null);
        if (service == null) {
            errors.add(new Problem.InvalidField("serviceCode", request.serviceCode() == null
                    ? "is required" : "unknown service code " + request.serviceCode() + " (see GET /catalog)"));
        }
        PostingRules.check(request.description(), location == null ? null : location.lat(),
                        location == null ? null : location.lon(), location == null ? null : location.address(),
                        window == null ? null : window.start(), window == null ? null : window.end(),
                        request.priceFen(), now)
                .forEach(v -> errors.add(new Problem.InvalidField(v.field(), v.message())));
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            throw new ApiProblem(400, "Invalid request", detail, errors);
        }
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.residentId = residentId;
        order.serviceCode = service.code();
        order.categoryCode = service.categoryCode();
        order.description = request.description().strip();
        order.lat = location.lat();
        order.lon = location.lon();
        order.address = location.address().strip();
        order.windowStart = window.start();
        order.windowEnd = window.end();
        order.priceFen = request.priceFen();
        order.serviceFeeFen = ServiceFee.feeFen(order.priceFen, fees.rateFor(order.categoryCode));
        order.status = OrderStatus.POSTED;
        order.createdAt = now;
        order.offersFrom = booking.offersFrom(order.windowStart, now);
        order.updatedAt = now;
        return order;
    }

    private Uni<Order> insert(Order order) {
        return orders.persist(order)
                .call(o -> recordTransition(o, null, Actor.resident(o.residentId), null))
                .call(o -> outbox.add(Topics.ORDERS, o.id.toString(), EventTypes.ORDER_POSTED, new OrderPosted(
                        o.id.toString(), o.residentId, o.serviceCode, o.categoryCode,
                        new Location(o.lat, o.lon, o.address), new TimeWindow(o.windowStart, o.windowEnd),
                        o.priceFen, o.serviceFeeFen, o.createdAt)));
    }

    /**
     * Claims the idempotency key for this order. Concurrent requests with the same key wait on the
     * key's row; the losers find the winner's order and return it.
     */
    private Uni<Posted> claimKey(String residentId, String key, String hash, Order order) {
        if (key.isBlank() || key.length() > 200) {
            return Uni.createFrom().failure(ApiProblem.invalid("Idempotency-Key", "must be 1 to 200 characters"));
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                                INSERT INTO idempotency_key (resident_id, key, request_hash, order_id, created_at)
                                VALUES (:resident, :key, :hash, :order, :at) ON CONFLICT DO NOTHING""")
                        .setParameter("resident", residentId).setParameter("key", key).setParameter("hash", hash)
                        .setParameter("order", order.id).setParameter("at", order.createdAt)
                        .executeUpdate()
                        .chain(inserted -> {
                            if (inserted == 1) {
                                return insert(order).map(o -> new Posted(o, true));
                            }
                            return s.createNativeQuery("""
                                            SELECT request_hash || ' ' || order_id FROM idempotency_key
                                            WHERE resident_id = :resident AND key = :key""", String.class)
                                    .setParameter("resident", residentId).setParameter("key", key)
                                    .getSingleResult()
                                    .chain(row -> {
                                        String[] parts = row.split(" ");
                                        if (!parts[0].equals(hash)) {
                                            return Uni.createFrom().failure(new ApiProblem(422, "Idempotency key reused",
                                                    "Idempotency-Key " + key + " was already used for a different request",
                                                    List.of(new Problem.InvalidField("Idempotency-Key", "already used for a different request"))));
                                        }
                                        return orders.findById(UUID.fromString(parts[1])).map(o -> new Posted(o, false));
                                    });
                        }));
    }

    private String requestHash(PostOrder request) {
        try {
            byte[] canonical = json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /** The order if the caller may see it: its resident, its assigned worker, or an admin; else 404. */
    public Uni<Order> visibleOrder(UUID id, String role, String subject) {
        return orders.findById(id).map(o -> {
            if (o == null || !mayRead(o, role, subject)) {
                throw ApiProblem.notFound("order " + id);
            }
            return o;
        });
    }

    /** Who may see an order: its resident, its assigned worker, or an admin. */
    public static boolean mayRead(Order o, String role, String subject) {
        return switch (role) {
            case "admin" -> true;
            case "resident" -> o.residentId.equals(subject);
            case "worker" -> subject.equals(o.workerId);
            default -> false;
        };
    }

    public Uni<List<OrderTransition>> history(UUID id) {
        return orders.history(id);
    }

    // ---- people's steps --------------------------------------------------------------------

    /**
     * The worker starts at the door with the resident's code. A wrong code is counted (and may lock
     * starting, {@link StartCode}) in a transaction that commits, and only then refused.
     */
    public Uni<Order> start(UUID id, String workerId, String code) {
        return Panache.withTransaction(() -> lockAssignedTo(id, workerId).chain(o -> {
            if (o.status != OrderStatus.ASSIGNED) {
                return move(o, OrderAction.START, Actor.worker(workerId), null).map(moved -> new StartTry(moved, null));
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            StartCode.Attempt attempt = StartCode.check(o.startCode, code, o.startWrong, o.startLockedUntil, now);
            o.startWrong = attempt.wrongInARow();
            o.startLockedUntil = attempt.lockedUntil();
            if (!(attempt instanceof StartCode.Accepted)) {
                return Uni.createFrom().item(new StartTry(o, attempt));
            }
            return move(o, OrderAction.START, Actor.worker(workerId), null)
                    .call(moved -> outbox.add(Topics.ORDERS, id.toString(), EventTypes.ORDER_STARTED,
                            new OrderStarted(id.toString(), workerId, moved.updatedAt)))
                    .call(moved -> notifications.add(moved.residentId, NotificationKind.START, "order " + id,
                            "师傅已到达并开始服务。"))
                    .map(moved -> new StartTry(moved, attempt));
        })).map(this::startedOrRefused);
    }

    private Order startedOrRefused(StartTry tried) {
        StartCode.Attempt attempt = tried.attempt();
        if (attempt == null || attempt instanceof StartCode.Accepted) {
            return tried.order();
        }
        if (attempt instanceof StartCode.Locked locked) {
            long seconds = Duration.between(OffsetDateTime.now(clock), locked.lockedUntil()).toSeconds() + 1;
            throw ApiProblem.tooManyRequests("starting this order is locked until " + locked.lockedUntil() + " after "
                    + StartCode.MAX_WRONG + " wrong codes in a row", (int) Math.max(1, seconds));
        }
        StartCode.Wrong wrong = (StartCode.Wrong) attempt;
        if (wrong.lockedUntil() != null) {
            throw new ApiProblem(422, "Wrong start code", "wrong start code " + StartCode.MAX_WRONG
                    + " times in a row: starting this order is locked until " + wrong.lockedUntil()
                    + "; ask the resident for the code their app shows",
                    List.of(new Problem.InvalidField("code", "does not match; starting is locked for "
                            + StartCode.LOCK.toMinutes() + " minutes")));
        }
        throw new ApiProblem(422, "Wrong start code", "the code does not match the one the resident's app shows; "
                + wrong.attemptsLeft() + " attempts left before starting is locked for " + StartCode.LOCK.toMinutes() + " minutes",
                List.of(new Problem.InvalidField("code", "does not match (" + wrong.attemptsLeft() + " attempts left)")));
    }

    private record StartTry(Order order, StartCode.Attempt attempt) {
    }

    public Uni<Order> finish(UUID id, String workerId) {
        return Panache.withTransaction(() -> lockAssignedTo(id, workerId)
                .chain(o -> move(o, OrderAction.FINISH, Actor.worker(workerId), null))
                .call(o -> notifications.add(o.residentId, NotificationKind.COMPLETION, "order " + id,
                        "师傅报告服务已完成：请在 24 小时内确认，不满意可以提出争议。")));
    }

    public Uni<Order> confirm(UUID id, String residentId) {
        return Panache.withTransaction(() -> lockOwnedBy(id, residentId)
                .chain(o -> complete(o, OrderAction.CONFIRM, Actor.resident(residentId))));
    }

    public Uni<Order> cancel(UUID id, String residentId, String reason) {
        return Panache.withTransaction(() -> lockOwnedBy(id, residentId).chain(o -> {
            boolean wasAssigned = o.status == OrderStatus.ASSIGNED;
            return move(o, OrderAction.CANCEL, Actor.resident(residentId), reason)
                    .call(moved -> announceCancelled(moved, wasAssigned ? moved.workerId : null, wasAssigned,
                            reason == null ? "cancelled by resident" : reason));
        }));
    }

    /** Confirms every order whose confirmation delay ran out before {@code cutoff}; returns how many. */
    public Uni<Integer> autoConfirmAwaitingSince(OffsetDateTime cutoff, int limit) {
        return Panache.withTransaction(() -> orders.lockAwaitingSince(cutoff, limit).chain(ids -> {
            Uni<Integer> done = Uni.createFrom().item(0);
            for (UUID id : ids) {
                done = done.chain(n -> orders.findById(id)
                        .chain(o -> complete(o, OrderAction.AUTO_CONFIRM, Actor.system("auto-confirm")))
                        .replaceWith(n + 1));
            }
            return done;
        }));
    }

    // ---- matching's and settlement's decisions (called inside the inbox transaction) ----------

    /**
     * A worker won the order. If the resident cancelled meanwhile the order stays cancelled and a
     * new cancellation event names the worker, so matching frees them; no compensation is due.
     */
    public Uni<Void> assign(UUID id, String workerId) {
        return orders.findForUpdate(id).chain(o -> {
            if (o == null) {
                return Uni.createFrom().voidItem(); // not an order of ours: nothing to do
            }
            if (o.status == OrderStatus.POSTED) {
                o.workerId = workerId;
                o.startCode = StartCode.generate(startCodes);
                return move(o, OrderAction.ASSIGN, Actor.system("matching"), null)
                        .call(a -> notifications.add(a.residentId, NotificationKind.ASSIGNMENT, "order " + a.id,
                                "师傅 " + workerId + " 已接单。上门时请告诉对方开工码 " + a.startCode + "。"))
                        .replaceWithVoid();
            }
            if ((o.status == OrderStatus.CANCELLED || o.status == OrderStatus.PAYMENT_FAILED) && !workerId.equals(o.workerId)) {
                return announceCancelled(o, workerId, false, "assigned after the resident cancelled");
            }
            return Uni.createFrom().voidItem(); // a late or repeated decision: the order has moved on
        });
    }

    public Uni<Void> unmatched(UUID id, String reason) {
        return whenStatus(id, OrderStatus.POSTED, o -> move(o, OrderAction.UNMATCH, Actor.system("matching"), reason));
    }

    /**
     * The payment channel refused to hold the resident's money (at posting, or when renewing an
     * expiring hold): an order not yet started ends as PAYMENT_FAILED, and a cancellation event lets
     * matching withdraw its offers or free the assigned worker (and settlement compensate them). An
     * order already under way is left to finish; settlement then charges the resident directly.
     */
    public Uni<Void> paymentFailed(UUID id, String reason) {
        return orders.findForUpdate(id).chain(o -> {
            if (o == null || (o.status != OrderStatus.POSTED && o.status != OrderStatus.ASSIGNED)) {
                return Uni.createFrom().voidItem();
            }
            boolean wasAssigned = o.status == OrderStatus.ASSIGNED;
            String why = "payment not held: " + reason;
            return move(o, OrderAction.PAYMENT_REFUSED, Actor.system("settlement"), why)
                    .call(moved -> announceCancelled(moved, wasAssigned ? moved.workerId : null, wasAssigned, why))
                    .replaceWithVoid();
        });
    }

    /** Settled orders (a burst at a time): one query locks them all; each COMPLETED one moves to SETTLED. */
    public Uni<Void> settled(List<UUID> ids) {
        return orders.findAllForUpdate(ids).chain(found -> {
            Uni<Void> done = Uni.createFrom().voidItem();
            for (Order o : found) {
                if (o.status == OrderStatus.COMPLETED) {
                    done = done.chain(() -> move(o, OrderAction.SETTLE, Actor.system("settlement"), null).replaceWithVoid());
                }
            }
            return done;
        });
    }

    private Uni<Void> whenStatus(UUID id, OrderStatus expected, Function<Order, Uni<Order>> step) {
        return orders.findForUpdate(id).chain(o -> o == null || o.status != expected
                ? Uni.createFrom().voidItem()
                : step.apply(o).replaceWithVoid());
    }

    // ---- shared steps ------------------------------------------------------------------------

    /**
     * The resident disputes the work ({@link DisputeRules}). While it awaits confirmation the order is
     * completed as disputed (its money is booked, the worker's pay held); after an automatic
     * confirmation the dispute is a step in the history of the order as it is. Either way
     * gig.order.disputed.v1 tells settlement to hold the pay.
     */
    public Uni<Order> dispute(UUID id, String residentId, String reason) {
        String why;
        try {
            why = PlainText.required(reason, "reason", 500, "what went wrong is required (1 to 500 characters)");
        } catch (ApiProblem e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.withTransaction(() -> lockOwnedBy(id, residentId).chain(o -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            var refusal = DisputeRules.refusal(o.status, o.autoConfirmed, o.completedAt, o.disputeStatus, now);
            if (refusal.isPresent()) {
                return Uni.createFrom().failure(ApiProblem.conflict(refusal.get()));
            }
            o.disputeStatus = "OPEN";
            o.disputeReason = why;
            o.disputedAt = now;
            Actor resident = Actor.resident(residentId);
            Uni<Order> step;
            if (o.status == OrderStatus.AWAITING_CONFIRMATION) {
                step = complete(o, OrderAction.DISPUTE, resident, "disputed: " + why);
            } else {
                o.updatedAt = now;
                step = recordTransition(o, o.status, resident, "disputed: " + why).replaceWith(o);
            }
            return step.call(d -> outbox.add(Topics.ORDERS, id.toString(), EventTypes.ORDER_DISPUTED,
                    new OrderDisputed(id.toString(), d.residentId, d.workerId, why, now)))
                    .call(d -> notifications.add(d.workerId, NotificationKind.DISPUTE, "order " + id,
                            "居民对订单提出争议：" + why + "。该单报酬暂缓发放，平台处理后通知您。"));
        }));
    }

    /** Finance or an admin resolved the dispute in settlement: the order shows the outcome, its history the step. */
    public Uni<Void> disputeResolved(DisputeResolved resolved) {
        return orders.findForUpdate(UUID.fromString(resolved.orderId())).chain(o -> {
            if (o == null || !"OPEN".equals(o.disputeStatus)) {
                return Uni.createFrom().voidItem(); // not ours, or a repeated resolution
            }
            o.disputeStatus = "RESOLVED";
            o.disputeOutcome = resolved.outcome();
            o.disputeRefundFen = resolved.refundFen();
            o.disputeResolvedAt = resolved.resolvedAt();
            o.updatedAt = OffsetDateTime.now(clock);
            String[] by = resolved.resolvedBy().split(":", 2);
            Actor actor = new Actor(by[0], by.length > 1 ? by[1] : by[0]);
            String outcome = switch (resolved.outcome()) {
                case "PAY_IN_FULL" -> "全额支付师傅";
                case "PARTIAL_REFUND" -> "部分退款 " + yuan(resolved.refundFen());
                default -> "全额退款 " + yuan(resolved.refundFen());
            };
            return notifications.add(o.residentId, NotificationKind.DISPUTE, "order " + o.id, "争议已处理：" + outcome + "。")
                    .call(() -> notifications.add(o.workerId, NotificationKind.DISPUTE, "order " + o.id, "争议已处理：" + outcome + "。"))
                    .call(() -> recordTransition(o, o.status, actor, "dispute resolved: " + resolved.outcome()
                    + (resolved.refundFen() > 0 ? " (" + resolved.refundFen() + " fen refunded)" : "")
                    + (resolved.note() == null || resolved.note().isBlank() ? "" : ": " + resolved.note())));
        });
    }

    private static String yuan(long fen) {
        return String.format("¥%d.%02d", fen / 100, fen % 100);
    }

    private Uni<Order> complete(Order o, OrderAction action, Actor actor) {
        return complete(o, action, actor, null);
    }

    private Uni<Order> complete(Order o, OrderAction action, Actor actor, String reason) {
        o.autoConfirmed = action == OrderAction.AUTO_CONFIRM;
        return move(o, action, actor, reason).call(moved -> outbox.add(Topics.ORDERS, moved.id.toString(),
                EventTypes.ORDER_COMPLETED, new OrderCompleted(moved.id.toString(), moved.residentId, moved.workerId,
                        moved.serviceCode, moved.categoryCode, moved.priceFen, moved.serviceFeeFen,
                        action == OrderAction.AUTO_CONFIRM, moved.completedAt)));
    }

    private Uni<Void> announceCancelled(Order o, String workerId, boolean wasAssigned, String reason) {
        return outbox.add(Topics.ORDERS, o.id.toString(), EventTypes.ORDER_CANCELLED, new OrderCancelled(
                        o.id.toString(), o.residentId, workerId, wasAssigned, o.categoryCode, o.priceFen,
                        o.serviceFeeFen, reason, OffsetDateTime.now(clock)))
                .replaceWithVoid();
    }

    private Uni<Order> lockOwnedBy(UUID id, String residentId) {
        return orders.findForUpdate(id).map(o -> {
            if (o == null || !o.residentId.equals(residentId)) {
                throw ApiProblem.notFound("order " + id);
            }
            return o;
        });
    }

    private Uni<Order> lockAssignedTo(UUID id, String workerId) {
        return orders.findForUpdate(id).map(o -> {
            if (o == null || !workerId.equals(o.workerId)) {
                throw ApiProblem.notFound("order " + id);
            }
            return o;
        });
    }

    /** Applies the state machine and records the step; an illegal step is a 409. */
    private Uni<Order> move(Order o, OrderAction action, Actor actor, String reason) {
        OrderStatus from = o.status;
        OrderStatus to;
        try {
            to = OrderLifecycle.apply(from, action);
        } catch (IllegalTransitionException e) {
            return Uni.createFrom().failure(ApiProblem.conflict(e.getMessage()));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        o.status = to;
        o.updatedAt = now;
        if (to == OrderStatus.AWAITING_CONFIRMATION) {
            o.doneAt = now;
        }
        if (to == OrderStatus.COMPLETED) {
            o.completedAt = now;
        }
        return recordTransition(o, from, actor, reason).replaceWith(o);
    }

    private Uni<Void> recordTransition(Order o, OrderStatus from, Actor actor, String reason) {
        OrderTransition t = new OrderTransition();
        t.orderId = o.id;
        t.fromStatus = from;
        t.toStatus = o.status;
        t.actor = actor.toString();
        t.reason = reason;
        t.at = o.updatedAt;
        return orders.record(t);
    }
}
