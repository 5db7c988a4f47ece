package cn.jiujinbang.matching.service;

import cn.jiujinbang.matching.OfferStatus;
import cn.jiujinbang.matching.config.MatchingConfig;
import cn.jiujinbang.matching.domain.Candidate;
import cn.jiujinbang.matching.domain.GeoPoint;
import cn.jiujinbang.matching.domain.MatchingPolicy;
import cn.jiujinbang.matching.repository.IdentityRepository;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.booking.BookingPolicy;
import cn.jiujinbang.platform.notify.NotificationKind;
import cn.jiujinbang.platform.notify.Notifications;
import cn.jiujinbang.matching.repository.MatchingRepository;
import cn.jiujinbang.matching.rest.WorkerBodies.Accepted;
import cn.jiujinbang.matching.rest.WorkerBodies.OfferView;
import cn.jiujinbang.platform.events.MatchAssigned;
import cn.jiujinbang.platform.events.MatchUnmatched;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.events.PaymentFailed;
import cn.jiujinbang.platform.events.PaymentHeld;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.platform.problem.ApiProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Matching an order to a nearby worker: offer rounds, first-accept-wins, expiry, and releasing
 * workers when an order is cancelled or completed.
 */
@ApplicationScoped
public class MatchingService {

    private static final Logger LOG = Logger.getLogger(MatchingService.class);
    /** The nearby search fetches this many times K nearest eligible workers, then ranks them. */
    private static final int CANDIDATE_POOL_FACTOR = 4;

    private final MatchingRepository repository;
    private final Outbox outbox;
    private final MatchingPolicy policy;
    private final Clock clock;

    private final IdentityRepository identities;
    private final BookingPolicy booking;
    private final Notifications notifications;

    public MatchingService(MatchingRepository repository, Outbox outbox, MatchingConfig config, Clock clock,
                           IdentityRepository identities, BookingPolicy booking, Notifications notifications) {
        this.notifications = notifications;
        this.identities = identities;
        this.booking = booking;
        this.repository = repository;
        this.outbox = outbox;
        this.policy = config.policy();
        this.clock = clock;
    }

    // ---- events from order-service (inside the inbox transaction) ------------------------------

    /**
     * Records a posted order; it is offered at once if the resident's payment is already held, else
     * when it is ({@link #onPaymentHeld}); an order booked ahead ({@link BookingPolicy}) waits until
     * window start − lead, when {@link #advanceDueRounds} starts its first round. A repeated posting of
     * the same order changes nothing.
     */
    public Uni<Void> onPosted(OrderPosted posted) {
        UUID orderId = UUID.fromString(posted.orderId());
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime windowStart = posted.window() == null ? null : posted.window().start();
        OffsetDateTime windowEnd = posted.window() == null ? null : posted.window().end();
        OffsetDateTime offerFrom = windowStart == null ? posted.postedAt() : booking.offersFrom(windowStart, posted.postedAt());
        return repository.createRequest(orderId, posted.residentId(), posted.serviceCode(), posted.location().lat(),
                        posted.location().lon(), posted.priceFen(), windowStart, windowEnd, offerFrom, now)
                .chain(status -> "OPEN".equals(status) && !offerFrom.isAfter(now)
                        ? runRounds(orderId, posted.serviceCode(), posted.location().lat(), posted.location().lon(), 1, now)
                        : Uni.createFrom().voidItem());
    }

    /** The resident's money is held (escrow): the order's first round starts if it was posted and waiting. */
    public Uni<Void> onPaymentHeld(PaymentHeld held) {
        UUID orderId = UUID.fromString(held.orderId());
        OffsetDateTime now = OffsetDateTime.now(clock);
        return repository.paymentAnswered(orderId, true, now).chain(opened -> opened == null
                || opened.offerFrom() != null && opened.offerFrom().isAfter(now) // booked ahead: the round job starts it
                ? Uni.createFrom().voidItem()
                : runRounds(orderId, opened.serviceCode(), opened.lat(), opened.lon(), 1, now));
    }

    /** The hold was refused: a waiting order is never offered (order-service ends it as PAYMENT_FAILED). */
    public Uni<Void> onPaymentFailed(PaymentFailed failed) {
        return repository.paymentAnswered(UUID.fromString(failed.orderId()), false, OffsetDateTime.now(clock)).replaceWithVoid();
    }

    /** Withdraws the order's offers; frees the worker if one had been assigned. */
    public Uni<Void> onCancelled(OrderCancelled cancelled) {
        UUID orderId = UUID.fromString(cancelled.orderId());
        OffsetDateTime now = OffsetDateTime.now(clock);
        return repository.lockRequest(orderId).chain(request -> {
            if (request == null || "CANCELLED".equals(request.status()) || "COMPLETED".equals(request.status())) {
                return Uni.createFrom().voidItem();
            }
            String assigned = request.assignedWorkerId();
            return repository.closeOpenOffers(orderId, OfferStatus.WITHDRAWN.name(), now)
                    .chain(() -> repository.setRequestStatus(orderId, "CANCELLED", now))
                    .chain(() -> assigned == null ? Uni.createFrom().item(0) : repository.changeActiveJobs(assigned, -1))
                    .replaceWithVoid();
        });
    }

    /** The jobs are over: their workers' slots are free again (a burst of completed orders in one statement). */
    public Uni<Void> onCompleted(List<OrderCompleted> completed) {
        return repository.completeAssigned(completed.stream().map(c -> UUID.fromString(c.orderId())).toList(),
                OffsetDateTime.now(clock)).replaceWithVoid();
    }

    // ---- rounds ------------------------------------------------------------------------------

    /**
     * Offers the order in round {@code round}; a round that finds nobody moves straight to the next,
     * wider one; after the last round the order is unmatched.
     */
    private Uni<Void> runRounds(UUID orderId, String serviceCode, double lat, double lon, int round, OffsetDateTime now) {
        var radius = policy.searchRadius(round);
        if (radius.isEmpty()) {
            return repository.closeOpenRequest(orderId, "UNMATCHED", now).chain(closed -> closed
                    ? outbox.add(Topics.MATCHING, orderId.toString(), EventTypes.MATCH_UNMATCHED, new MatchUnmatched(
                            orderId.toString(), policy.rounds(), "no worker nearby accepted in " + policy.rounds() + " rounds", now))
                            .replaceWithVoid()
                    : Uni.createFrom().voidItem());
        }
        GeoPoint orderAt = new GeoPoint(lat, lon);
        return repository.nearby(orderId, serviceCode, lat, lon, radius.get(), policy.fanout() * CANDIDATE_POOL_FACTOR)
                .chain(nearby -> {
                    List<Candidate> chosen = policy.choose(nearby.stream()
                            .filter(w -> MatchingPolicy.isEligible(w, serviceCode, orderAt, radius.get()))
                            .map(w -> new Candidate(w.workerId(), w.home().metersTo(orderAt), w.rating(), w.activeJobs()))
                            .toList());
                    if (chosen.isEmpty()) {
                        return runRounds(orderId, serviceCode, lat, lon, round + 1, now);
                    }
                    OffsetDateTime expiresAt = now.plus(policy.offerTtl());
                    Uni<Integer> offers = repository.startRound(orderId, round, expiresAt, now);
                    List<Notifications.Notification> told = new java.util.ArrayList<>();
                    for (Candidate c : chosen) {
                        offers = offers.chain(() -> repository.insertOffer(UUID.randomUUID(), orderId, c.workerId(),
                                round, (int) Math.round(c.distanceMeters()), now, expiresAt));
                        told.add(new Notifications.Notification(c.workerId(), NotificationKind.OFFER, "order " + orderId,
                                String.format("附近有新订单（%s，%.1f 公里），%s 前可以接单。", serviceCode, c.distanceMeters() / 1000,
                                        expiresAt.atZoneSameInstant(ClockProducer.BUSINESS_ZONE).toLocalTime().withNano(0))));
                    }
                    return offers.call(() -> notifications.addAll(told)).invoke(() -> LOG.debugf("order %s round %d offered to %d workers", orderId, round, chosen.size()))
                            .replaceWithVoid();
                });
    }

    /** Moves every round that ran out to its next round; returns how many orders moved. */
    public Uni<Integer> advanceDueRounds(int limit) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> repository.lockDueRequests(now, limit).chain(rows -> {
            Uni<Integer> moved = Uni.createFrom().item(0);
            for (MatchingRepository.DueRequest r : rows) {
                moved = moved.chain(n -> repository.closeOpenOffers(r.orderId(), OfferStatus.EXPIRED.name(), now)
                        .chain(() -> runRounds(r.orderId(), r.serviceCode(), r.lat(), r.lon(), r.round() + 1, now))
                        .replaceWith(n + 1));
            }
            return moved;
        }));
    }

    // ---- workers' answers --------------------------------------------------------------------

    /**
     * First accept wins. The offer must still be open and this worker's; then exactly one
     * transaction can move the order from OPEN to ASSIGNED. Every other accept is a 409.
     */
    public Uni<Accepted> accept(UUID offerId, String workerId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        // Lock order, the same on every path (accept, decline, expiry, cancel): the order's
        // match_request row first, then its offers; otherwise two accepts deadlock.
        return Panache.withTransaction(() -> offerOf(offerId, workerId).call(offer -> identities.isVerified(workerId).invoke(verified -> {
                    if (!verified) {
                        throw ApiProblem.forbidden("verify your real name before accepting offers "
                                + "(POST /workers/" + workerId + "/verification with the name and ID number on your ID card)");
                    }
                })).call(offer -> repository.lockRequest(offer.orderId()))
                .call(offer -> repository.busyDuring(offer.orderId(), workerId).invoke(busy -> {
                    if (busy) {
                        throw ApiProblem.conflict("you already have an order assigned at that time; offer " + offerId
                                + " overlaps it");
                    }
                }))
                .chain(offer -> repository.acceptOffer(offerId, workerId, now).chain(accepted -> {
                    if (!accepted) {
                        return Uni.createFrom().failure(ApiProblem.conflict("offer " + offerId + " is no longer open ("
                                + (offer.status() == OfferStatus.OFFERED ? "expired" : offer.status().name().toLowerCase()) + ")"));
                    }
                    return repository.assignIfOpen(offer.orderId(), workerId, now).chain(won -> {
                        if (!won) {
                            return Uni.createFrom().failure(ApiProblem.conflict("order " + offer.orderId() + " was taken by another worker"));
                        }
                        return repository.closeOpenOffers(offer.orderId(), OfferStatus.WITHDRAWN.name(), now)
                                .chain(() -> repository.changeActiveJobs(workerId, 1))
                                .chain(() -> outbox.add(Topics.MATCHING, offer.orderId().toString(), EventTypes.MATCH_ASSIGNED,
                                        new MatchAssigned(offer.orderId().toString(), workerId, offerId.toString(),
                                                offer.distanceKm(), now)))
                                .replaceWith(new Accepted(offerId, offer.orderId(), workerId, "ASSIGNED"));
                    });
                })));
    }

    public Uni<Void> decline(UUID offerId, String workerId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> offerOf(offerId, workerId).call(offer -> repository.lockRequest(offer.orderId()))
                .chain(offer -> repository.declineOffer(offerId, workerId, now).chain(declined -> {
                    if (!declined) {
                        return Uni.createFrom().failure(ApiProblem.conflict("offer " + offerId + " is no longer open"));
                    }
                    // when everybody of the round said no, the next round need not wait for the TTL
                    return repository.openOffers(offer.orderId()).chain(open -> open == 0
                            ? repository.expireRoundNow(offer.orderId(), now).replaceWithVoid()
                            : Uni.createFrom().voidItem());
                })));
    }

    /** The worker's offers, newest first; {@code status} null for all. */
    public Uni<List<OfferView>> offersOf(String workerId, OfferStatus status) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT o.id, o.order_id, r.service_code, o.distance_m, r.price_fen, o.expires_at, o.status, o.round
                        FROM offer o JOIN match_request r ON r.order_id = o.order_id
                        WHERE o.worker_id = :worker AND (CAST(:status AS text) IS NULL OR o.status = :status)
                        ORDER BY o.created_at DESC, o.id LIMIT 200""", Tuple.class)
                .setParameter("worker", workerId).setParameter("status", status == null ? null : status.name())
                .getResultList()).map(rows -> rows.stream().map(r -> new OfferView(r.get("id", UUID.class),
                r.get("order_id", UUID.class), r.get("service_code", String.class),
                r.get("distance_m", Number.class).intValue() / 1000.0, r.get("price_fen", Number.class).longValue(),
                NativeValues.offsetDateTime(r.get("expires_at")), OfferStatus.valueOf(r.get("status", String.class)),
                r.get("round", Number.class).intValue())).toList());
    }

    private record OfferRef(UUID orderId, OfferStatus status, double distanceKm) {
    }

    /** The offer if it is this worker's; someone else's offer is as unknown as a missing one (404). */
    private Uni<OfferRef> offerOf(UUID offerId, String workerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT order_id, status, distance_m, worker_id FROM offer WHERE id = :id", Tuple.class)
                .setParameter("id", offerId).getResultList()).map(rows -> {
            if (rows.isEmpty() || !workerId.equals(rows.get(0).get("worker_id", String.class))) {
                throw ApiProblem.notFound("offer " + offerId);
            }
            Tuple r = rows.get(0);
            return new OfferRef(r.get("order_id", UUID.class), OfferStatus.valueOf(r.get("status", String.class)),
                    r.get("distance_m", Number.class).intValue() / 1000.0);
        });
    }
}
