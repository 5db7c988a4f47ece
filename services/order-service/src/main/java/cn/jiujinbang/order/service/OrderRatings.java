package cn.jiujinbang.order.service;

import cn.jiujinbang.order.domain.Rating;
import cn.jiujinbang.order.repository.OrderRepository;
import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.platform.events.OrderRated;
import cn.jiujinbang.platform.events.RatingWithdrawn;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.PlainText;
import cn.jiujinbang.platform.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Residents rate the worker who did their order, once; workers (and admins) read a worker's ratings. */
@ApplicationScoped
public class OrderRatings {

    private final OrderRepository orders;
    private final Outbox outbox;
    private final Clock clock;

    private final AuditTrail audit;

    public OrderRatings(OrderRepository orders, Outbox outbox, Clock clock, AuditTrail audit) {
        this.audit = audit;
        this.orders = orders;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A rating; {@code reported}: an admin withdrew it as abusive (it counts no more). */
    public record GivenRating(String orderId, String workerId, int stars, String comment, OffsetDateTime ratedAt,
                              boolean reported) {
    }

    /**
     * Rates the order's worker: 404 when the order is not the resident's, 409 before the work is
     * confirmed or when rated before; the rating and its event commit together.
     */
    public Uni<GivenRating> rate(UUID orderId, String residentId, Integer stars, String comment) {
        Map<String, String> problems = Rating.problems(stars, comment);
        if (!problems.isEmpty()) {
            return Uni.createFrom().failure(new ApiProblem(400, "Invalid rating", String.join("; ", problems.values()),
                    problems.entrySet().stream().map(p -> new Problem.InvalidField(p.getKey(), p.getValue())).toList()));
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> orders.findForUpdate(orderId).chain(order -> {
            if (order == null || !residentId.equals(order.residentId)) {
                throw ApiProblem.notFound("order " + orderId);
            }
            if (!Rating.rateable(order.status) || order.workerId == null) {
                throw ApiProblem.conflict("order " + orderId + " is " + order.status + ": it can be rated once its work is confirmed");
            }
            return Panache.getSession().chain(s -> s.createNativeQuery("""
                            INSERT INTO order_rating (order_id, resident_id, worker_id, stars, comment, rated_at)
                            VALUES (:order, :resident, :worker, :stars, :comment, :at) ON CONFLICT (order_id) DO NOTHING""")
                    .setParameter("order", orderId).setParameter("resident", residentId).setParameter("worker", order.workerId)
                    .setParameter("stars", stars.shortValue()).setParameter("comment", note).setParameter("at", now)
                    .executeUpdate())
                    .chain(inserted -> {
                        if (inserted == 0) {
                            throw ApiProblem.conflict("order " + orderId + " was rated before; a rating is given once");
                        }
                        return outbox.add(Topics.ORDERS, orderId.toString(), EventTypes.ORDER_RATED,
                                new OrderRated(orderId.toString(), residentId, order.workerId, stars, now));
                    })
                    .replaceWith(new GivenRating(orderId.toString(), order.workerId, stars, note, now, false));
        }));
    }

    /** The rating of one order, or null when it has none. */
    public Uni<GivenRating> ofOrder(UUID orderId) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT CAST(order_id AS text) AS order_id, worker_id, stars, comment, rated_at, reported_at
                        FROM order_rating WHERE order_id = :order""", Tuple.class).setParameter("order", orderId).getResultList())
                .map(rows -> rows.stream().map(OrderRatings::given).findFirst().orElse(null)));
    }

    private static GivenRating given(Tuple r) {
        return new GivenRating(r.get("order_id", String.class), r.get("worker_id", String.class),
                r.get("stars", Number.class).intValue(), r.get("comment", String.class), NativeValues.offsetDateTime(r.get("rated_at")),
                r.get("reported_at") != null);
    }

    /** A worker's ratings, newest first, at most {@code limit}. */
    public Uni<List<GivenRating>> ofWorker(String workerId, int limit) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT CAST(order_id AS text) AS order_id, worker_id, stars, comment, rated_at, reported_at
                        FROM order_rating WHERE worker_id = :worker AND reported_at IS NULL
                        ORDER BY rated_at DESC, order_id LIMIT :limit""", Tuple.class)
                .setParameter("worker", workerId).setParameter("limit", limit).getResultList())
                .map(rows -> rows.stream().map(OrderRatings::given).toList()));
    }

    /**
     * An admin reports the order's rating as abusive: it is withdrawn (matching takes its stars out of
     * the worker's rating) and the report is audited, together. 404 without a rating, 409 when
     * reported before.
     */
    public Uni<GivenRating> report(UUID orderId, String adminId, String reason) {
        String why;
        try {
            why = PlainText.required(reason, "reason", 500, "why the rating is abusive is required (1 to 500 characters)");
        } catch (ApiProblem e) {
            return Uni.createFrom().failure(e);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE order_rating SET reported_at = :now, reported_by = :admin, report_reason = :reason
                        WHERE order_id = :order AND reported_at IS NULL RETURNING worker_id, stars""", Tuple.class)
                .setParameter("now", now).setParameter("admin", adminId).setParameter("reason", why)
                .setParameter("order", orderId).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return ofOrder(orderId).map(r -> {
                            throw r == null ? ApiProblem.notFound("rating of order " + orderId)
                                    : ApiProblem.conflict("the rating of order " + orderId + " was reported before");
                        });
                    }
                    String worker = rows.get(0).get("worker_id", String.class);
                    int stars = rows.get(0).get("stars", Number.class).intValue();
                    return outbox.add(Topics.ORDERS, orderId.toString(), EventTypes.ORDER_RATING_WITHDRAWN,
                                    new RatingWithdrawn(orderId.toString(), worker, stars, now))
                            .chain(() -> audit.record(s, now, adminId, cn.jiujinbang.order.rest.AdminAction.RATING_REPORTED,
                                    "order " + orderId, Map.of("workerId", worker, "stars", stars, "reason", why)));
                })))
                .chain(() -> ofOrder(orderId));
    }
}
