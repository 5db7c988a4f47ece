package cn.jiujinbang.matching.repository;

import cn.jiujinbang.matching.domain.GeoPoint;
import cn.jiujinbang.matching.domain.WorkerSnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The SQL of matching: the nearby search, offers and match requests. Plain SQL because the
 * conditional updates are the concurrency control (first accept wins) and must read as such.
 */
@ApplicationScoped
public class MatchingRepository {

    /**
     * Workers who may take an order, nearest first: available, skilled, the order inside both radii,
     * not offered this order before, not assigned another order whose window overlaps this one's. This is the index-backed prefilter; the rule itself is
     * {@code MatchingPolicy.isEligible}, which the service applies to every row. The GiST index on the home point serves both the
     * {@code earth_box @>} filter and the ordering: {@code <->} (straight-line distance between points
     * on the earth cube, which orders exactly like great-circle distance) walks the index outwards
     * from the order and stops after {@code :pool} eligible workers, instead of reading every worker
     * in the box and sorting them.
     */
    public static final String CANDIDATES_SQL = """
            SELECT w.id, array_to_string(w.service_codes, ',') AS service_codes, w.home_lat, w.home_lon, w.radius_m,
                   w.available, w.rating, w.active_jobs
            FROM worker w
            WHERE w.available
              AND earth_box(ll_to_earth(:lat, :lon), :radius) @> ll_to_earth(w.home_lat, w.home_lon)
              AND :serviceCode = ANY (w.service_codes)
              AND earth_distance(ll_to_earth(w.home_lat, w.home_lon), ll_to_earth(:lat, :lon)) <= LEAST(w.radius_m, :radius)
              AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.order_id = :orderId AND o.worker_id = w.id)
              AND NOT EXISTS (SELECT 1 FROM match_request busy JOIN match_request this ON this.order_id = :orderId
                              WHERE busy.assigned_worker_id = w.id AND busy.status = 'ASSIGNED'
                                AND busy.window_start < this.window_end AND busy.window_end > this.window_start)
            ORDER BY ll_to_earth(w.home_lat, w.home_lon) <-> ll_to_earth(:lat, :lon)
            LIMIT :pool""";

    /**
     * Run before {@link #CANDIDATES_SQL} in the same transaction. PostgreSQL estimates the
     * {@code earth_box @>} filter at a fixed 0.1 % of the table (about 850 of a million workers where
     * a 3 km box in a city holds some 17,000), so it prefers reading the whole box through a bitmap
     * and sorting it (95 ms) over walking the index nearest-first and stopping early (2 ms). Without
     * bitmap scans it takes the nearest-first index scan, still bounded by the box.
     * docs/matching.md has the measurements.
     */
    public static final String NEAREST_FIRST_PLAN = "SET LOCAL enable_bitmapscan = off";

    public Uni<List<WorkerSnapshot>> nearby(UUID orderId, String serviceCode, double lat, double lon, int radiusMeters,
                                            int pool) {
        return session(s -> s.createNativeQuery(NEAREST_FIRST_PLAN).executeUpdate()).chain(() -> session(s -> s.createNativeQuery(CANDIDATES_SQL, Tuple.class)
                .setParameter("lat", lat).setParameter("lon", lon).setParameter("radius", (double) radiusMeters)
                .setParameter("serviceCode", serviceCode).setParameter("orderId", orderId).setParameter("pool", pool)
                .getResultList()
                .map(rows -> rows.stream().map(r -> new WorkerSnapshot(r.get("id", String.class),
                        Set.of(r.get("service_codes", String.class).split(",")),
                        new GeoPoint(r.get("home_lat", Number.class).doubleValue(), r.get("home_lon", Number.class).doubleValue()),
                        r.get("radius_m", Number.class).intValue(), r.get("available", Boolean.class),
                        r.get("rating", Number.class).doubleValue(), r.get("active_jobs", Number.class).intValue())).toList())));
    }

    /**
     * Records a posted order's request: OPEN when its payment is already held, PAYMENT_FAILED when the
     * hold was refused, else AWAITING_PAYMENT. Returns the new request's status, or null when the
     * order was posted before (nothing changes). The upsert of the order's payment row waits for a
     * concurrent payment answer to commit, so the two never miss each other (V4__offer_after_payment_held.sql).
     */
    public Uni<String> createRequest(UUID orderId, String residentId, String serviceCode, double lat, double lon,
                                     long priceFen, OffsetDateTime windowStart, OffsetDateTime windowEnd,
                                     OffsetDateTime offerFrom, OffsetDateTime now) {
        return session(s -> s.createNativeQuery("""
                        WITH payment AS (
                            INSERT INTO order_payment (order_id, status) VALUES (:order, 'WAITING')
                            ON CONFLICT (order_id) DO UPDATE SET status = order_payment.status
                            RETURNING status)
                        INSERT INTO match_request (order_id, resident_id, service_code, lat, lon, price_fen, status, round,
                                                   round_expires_at, window_start, window_end, offer_from, created_at, updated_at)
                        SELECT :order, :resident, :code, :lat, :lon, :price,
                               CASE p.status WHEN 'HELD' THEN 'OPEN' WHEN 'FAILED' THEN 'PAYMENT_FAILED'
                                             ELSE 'AWAITING_PAYMENT' END,
                               0, CASE WHEN CAST(:offerFrom AS timestamptz) > CAST(:now AS timestamptz) THEN CAST(:offerFrom AS timestamptz) END,
                               :windowStart, :windowEnd, :offerFrom, :now, :now
                        FROM payment p
                        ON CONFLICT (order_id) DO NOTHING RETURNING status""", String.class)
                .setParameter("order", orderId).setParameter("resident", residentId).setParameter("code", serviceCode)
                .setParameter("lat", lat).setParameter("lon", lon).setParameter("price", priceFen)
                .setParameter("windowStart", windowStart).setParameter("windowEnd", windowEnd)
                .setParameter("offerFrom", offerFrom).setParameter("now", now).getResultList()
                .map(rows -> rows.isEmpty() ? null : rows.get(0)));
    }

    /** Where and what a request waiting for its payment is, once it may be offered (from {@code offerFrom}). */
    public record OpenedRequest(String serviceCode, double lat, double lon, OffsetDateTime offerFrom) {
    }

    /**
     * Records the channel's answer about the order's payment (the first answer stands) and moves a
     * request AWAITING_PAYMENT to OPEN (held) or PAYMENT_FAILED. Returns the request if it opened now.
     */
    public Uni<OpenedRequest> paymentAnswered(UUID orderId, boolean held, OffsetDateTime now) {
        String status = held ? "HELD" : "FAILED";
        return session(s -> s.createNativeQuery("""
                        INSERT INTO order_payment (order_id, status, answered_at) VALUES (:order, :status, :now)
                        ON CONFLICT (order_id) DO UPDATE
                            SET status = CASE WHEN order_payment.status = 'WAITING' THEN EXCLUDED.status ELSE order_payment.status END,
                                answered_at = coalesce(order_payment.answered_at, EXCLUDED.answered_at)
                        RETURNING status""", String.class)
                .setParameter("order", orderId).setParameter("status", status).setParameter("now", now).getResultList())
                .chain(standing -> !status.equals(standing.get(0)) ? Uni.createFrom().item(List.<Tuple>of())
                        : session(s -> s.createNativeQuery("""
                                        UPDATE match_request SET status = :status, updated_at = :now
                                        WHERE order_id = :order AND status = 'AWAITING_PAYMENT'
                                        RETURNING service_code, lat, lon, offer_from""", Tuple.class)
                                .setParameter("status", held ? "OPEN" : "PAYMENT_FAILED").setParameter("now", now)
                                .setParameter("order", orderId).getResultList()))
                .map(rows -> rows.isEmpty() || !held ? null : new OpenedRequest(rows.get(0).get("service_code", String.class),
                        rows.get(0).get("lat", Number.class).doubleValue(), rows.get(0).get("lon", Number.class).doubleValue(),
                        rows.get(0).get("offer_from", OffsetDateTime.class)));
    }

    public Uni<Integer> insertOffer(UUID offerId, UUID orderId, String workerId, int round, int distanceMeters,
                                    OffsetDateTime now, OffsetDateTime expiresAt) {
        return update("""
                INSERT INTO offer (id, order_id, worker_id, round, distance_m, status, created_at, expires_at)
                VALUES (:id, :order, :worker, :round, :distance, 'OFFERED', :now, :expires)""", q -> q
                .setParameter("id", offerId).setParameter("order", orderId).setParameter("worker", workerId)
                .setParameter("round", round).setParameter("distance", distanceMeters).setParameter("now", now)
                .setParameter("expires", expiresAt));
    }

    public Uni<Integer> startRound(UUID orderId, int round, OffsetDateTime expiresAt, OffsetDateTime now) {
        return update("""
                UPDATE match_request SET round = :round, round_expires_at = :expires, updated_at = :now
                WHERE order_id = :order AND status = 'OPEN'""", q -> q
                .setParameter("round", round).setParameter("expires", expiresAt).setParameter("now", now)
                .setParameter("order", orderId));
    }

    /** Closes an open request (UNMATCHED); false if it was no longer open. */
    public Uni<Boolean> closeOpenRequest(UUID orderId, String status, OffsetDateTime now) {
        return update("""
                UPDATE match_request SET status = :status, round_expires_at = NULL, updated_at = :now
                WHERE order_id = :order AND status = 'OPEN'""", q -> q
                .setParameter("status", status).setParameter("now", now).setParameter("order", orderId))
                .map(n -> n == 1);
    }

    /** The offer becomes ACCEPTED if it is still OFFERED to this worker and unexpired. */
    public Uni<Boolean> acceptOffer(UUID offerId, String workerId, OffsetDateTime now) {
        return update("""
                UPDATE offer SET status = 'ACCEPTED', decided_at = :now
                WHERE id = :id AND worker_id = :worker AND status = 'OFFERED' AND expires_at > :now""", q -> q
                .setParameter("id", offerId).setParameter("worker", workerId).setParameter("now", now))
                .map(n -> n == 1);
    }

    /**
     * The atomic step of "first accept wins": only one transaction can move the request from OPEN to
     * ASSIGNED; a concurrent one waits for the row, re-reads it, and updates nothing.
     */
    public Uni<Boolean> assignIfOpen(UUID orderId, String workerId, OffsetDateTime now) {
        return update("""
                UPDATE match_request SET status = 'ASSIGNED', assigned_worker_id = :worker, round_expires_at = NULL,
                                         updated_at = :now
                WHERE order_id = :order AND status = 'OPEN'""", q -> q
                .setParameter("worker", workerId).setParameter("now", now).setParameter("order", orderId))
                .map(n -> n == 1);
    }

    /**
     * Whether the worker is assigned another order whose window overlaps this order's. Locks the
     * worker's row first (after the order's request, the lock order of every path), so two accepts of
     * overlapping orders by one worker are decided one after the other.
     */
    public Uni<Boolean> busyDuring(UUID orderId, String workerId) {
        return session(s -> s.createNativeQuery("SELECT id FROM worker WHERE id = :worker FOR UPDATE", String.class)
                .setParameter("worker", workerId).getResultList()).chain(() -> session(s -> s.createNativeQuery("""
                        SELECT count(*) FROM match_request busy JOIN match_request this ON this.order_id = :order
                        WHERE busy.assigned_worker_id = :worker AND busy.status = 'ASSIGNED' AND busy.order_id <> :order
                          AND busy.window_start < this.window_end AND busy.window_end > this.window_start""", Long.class)
                .setParameter("order", orderId).setParameter("worker", workerId).getSingleResult())).map(n -> n > 0);
    }

    public Uni<Boolean> declineOffer(UUID offerId, String workerId, OffsetDateTime now) {
        return update("""
                UPDATE offer SET status = 'DECLINED', decided_at = :now
                WHERE id = :id AND worker_id = :worker AND status = 'OFFERED'""", q -> q
                .setParameter("id", offerId).setParameter("worker", workerId).setParameter("now", now))
                .map(n -> n == 1);
    }

    /** Ends every open offer of the order with {@code status} (WITHDRAWN or EXPIRED). */
    public Uni<Integer> closeOpenOffers(UUID orderId, String status, OffsetDateTime now) {
        return update("""
                UPDATE offer SET status = :status, decided_at = :now WHERE order_id = :order AND status = 'OFFERED'""",
                q -> q.setParameter("status", status).setParameter("now", now).setParameter("order", orderId));
    }

    public Uni<Long> openOffers(UUID orderId) {
        return session(s -> s.createNativeQuery(
                        "SELECT count(*) FROM offer WHERE order_id = :order AND status = 'OFFERED'", Long.class)
                .setParameter("order", orderId).getSingleResult());
    }

    /** Makes the request's round due now (every offer of the round was declined). */
    public Uni<Integer> expireRoundNow(UUID orderId, OffsetDateTime now) {
        return update("UPDATE match_request SET round_expires_at = :now WHERE order_id = :order AND status = 'OPEN'",
                q -> q.setParameter("now", now).setParameter("order", orderId));
    }

    /** An open request whose round ran out: where and what it is, and the round it was in. */
    public record DueRequest(UUID orderId, String serviceCode, double lat, double lon, int round) {
    }

    /** Open requests whose round ran out, locked; another replica's expiry run skips them. */
    public Uni<List<DueRequest>> lockDueRequests(OffsetDateTime now, int limit) {
        return session(s -> s.createNativeQuery("""
                        SELECT order_id, service_code, lat, lon, round FROM match_request
                        WHERE status = 'OPEN' AND round_expires_at <= :now
                        ORDER BY round_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED""", Tuple.class)
                .setParameter("now", now).setParameter("limit", limit).getResultList())
                .map(rows -> rows.stream().map(r -> new DueRequest(r.get("order_id", UUID.class), r.get("service_code", String.class),
                        r.get("lat", Number.class).doubleValue(), r.get("lon", Number.class).doubleValue(),
                        r.get("round", Number.class).intValue())).toList());
    }

    /** A request's status and the worker assigned to it (null before assignment). */
    public record RequestState(String status, String assignedWorkerId) {
    }

    /** The request's status and assigned worker, locked for this transaction (null if unknown). */
    public Uni<RequestState> lockRequest(UUID orderId) {
        return session(s -> s.createNativeQuery("""
                        SELECT status, assigned_worker_id FROM match_request WHERE order_id = :order FOR UPDATE""",
                        Tuple.class)
                .setParameter("order", orderId).getResultList()
                .map(rows -> rows.isEmpty() ? null
                        : new RequestState(rows.get(0).get("status", String.class), rows.get(0).get("assigned_worker_id", String.class))));
    }

    public Uni<Integer> setRequestStatus(UUID orderId, String status, OffsetDateTime now) {
        return update("UPDATE match_request SET status = :status, round_expires_at = NULL, updated_at = :now WHERE order_id = :order",
                q -> q.setParameter("status", status).setParameter("now", now).setParameter("order", orderId));
    }

    /**
     * Marks the assigned requests of these orders COMPLETED and gives each worker back a slot per
     * completed job, in one statement; orders not assigned here (or already completed) change nothing.
     * Returns how many requests were completed.
     */
    public Uni<Integer> completeAssigned(List<UUID> orderIds, OffsetDateTime now) {
        return update("""
                        WITH done AS (
                            UPDATE match_request SET status = 'COMPLETED', round_expires_at = NULL, updated_at = :now
                            WHERE order_id = ANY (CAST(CAST(:orders AS text[]) AS uuid[])) AND status = 'ASSIGNED'
                            RETURNING assigned_worker_id)
                        UPDATE worker w SET active_jobs = GREATEST(w.active_jobs - d.jobs, 0)
                        FROM (SELECT assigned_worker_id, count(*) AS jobs FROM done GROUP BY assigned_worker_id) d
                        WHERE w.id = d.assigned_worker_id""",
                q -> q.setParameter("now", now)
                        .setParameter("orders", orderIds.stream().map(UUID::toString).toArray(String[]::new)));
    }

    public Uni<Integer> changeActiveJobs(String workerId, int delta) {
        return update("UPDATE worker SET active_jobs = GREATEST(active_jobs + :delta, 0) WHERE id = :id",
                q -> q.setParameter("delta", delta).setParameter("id", workerId));
    }

    private static Uni<Integer> update(String sql, UnaryOperator<Mutiny.MutationQuery> parameters) {
        return session(s -> parameters.apply(s.createNativeQuery(sql)).executeUpdate());
    }

    private static <T> Uni<T> session(Function<Mutiny.Session, Uni<T>> work) {
        return Panache.getSession().chain(s -> work.apply(s));
    }
}
