package cn.jiujinbang.settlement.payments;

import cn.jiujinbang.platform.events.OrderPosted;
import cn.jiujinbang.platform.events.PaymentFailed;
import cn.jiujinbang.platform.events.PaymentHeld;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.persistence.NativeValues;
import cn.jiujinbang.settlement.domain.Hold;
import cn.jiujinbang.settlement.domain.JournalTransaction;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.Postings;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Escrow (docs/settlement.md, "Escrow"): the {@code payment_hold} table, the hold, capture and void
 * instructions it commits, the hold journal transactions, and the payment events. Every method runs
 * in the caller's transaction except {@link #renewExpiring} and {@link #view}. What a step does to a
 * hold is decided by {@link Hold}.
 */
@ApplicationScoped
public class Escrow {

    private static final Logger LOG = Logger.getLogger(Escrow.class);

    /** The GET /payments/{orderId} answer. */
    public record View(String orderId, String residentId, String status, long heldFen, long capturedFen, long voidedFen,
                       OffsetDateTime expiresAt, String reason) {
    }

    /** An order's charge to collect: from its hold when there is one. */
    public record Collection(String orderId, String residentId, Money charged) {
    }

    /** The channel's answer to a HOLD instruction. */
    public record HoldAnswer(String reference, String orderId, boolean succeeded, String reason) {
    }

    private final PaymentInstructions instructions;
    private final LedgerRepository ledger;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration validity;
    private final Duration renewBefore;
    private final AtomicLong heldFen = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    public Escrow(PaymentInstructions instructions, LedgerRepository ledger, Outbox outbox, Clock clock, MeterRegistry metrics,
                  @ConfigProperty(name = "gig.payments.hold-validity", defaultValue = "7d") Duration validity,
                  @ConfigProperty(name = "gig.payments.hold-renew-before", defaultValue = "1d") Duration renewBefore) {
        this.instructions = instructions;
        this.ledger = ledger;
        this.outbox = outbox;
        this.clock = clock;
        this.validity = validity;
        this.renewBefore = renewBefore;
        metrics.gauge("gig.payments.holds.held.fen", heldFen);
        metrics.gauge("gig.payments.holds.pending", pending);
        metrics.gauge("gig.payments.holds.pending.oldest.seconds", oldestPendingSeconds);
    }

    /** Asks the channel to hold each posted order's price + fee (once per order). */
    public Uni<Void> hold(List<OrderPosted> posted, OffsetDateTime now) {
        if (posted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Hold> asked = posted.stream().map(p -> Hold.asked(p.orderId(), p.residentId(),
                Money.fen(p.priceFen() + p.serviceFeeFen()))).toList();
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO payment_hold (order_id, resident_id, amount_fen, authorization_ref, created_at, updated_at)
                        SELECT h.order_id, h.resident_id, h.amount, h.auth, :now, :now
                        FROM unnest(CAST(:orders AS text[]), CAST(:residents AS text[]), CAST(:amounts AS bigint[]),
                                    CAST(:auths AS text[])) WITH ORDINALITY AS h(order_id, resident_id, amount, auth, n)
                        ORDER BY h.n ON CONFLICT (order_id) DO NOTHING
                        RETURNING order_id""", String.class)
                .setParameter("orders", asked.stream().map(Hold::orderId).toArray(String[]::new))
                .setParameter("residents", asked.stream().map(Hold::residentId).toArray(String[]::new))
                .setParameter("amounts", asked.stream().map(h -> h.amount().fen()).toArray(Long[]::new))
                .setParameter("auths", asked.stream().map(Hold::authorization).toArray(String[]::new))
                .setParameter("now", now).getResultList())
                .chain(created -> {
                    java.util.Set<String> fresh = new java.util.HashSet<>(created);
                    return instructions.add(asked.stream().filter(h -> fresh.remove(h.orderId()))
                            .map(h -> PaymentInstructions.ForOrder.hold(h.authorization(), h.orderId(), h.residentId(),
                                    h.amount().fen())).toList(), now);
                })
                .replaceWithVoid();
    }

    /**
     * The charge instructions of settled orders (their CHARGE captures the order's hold when it is
     * held; without one it charges directly), with what that does to each hold (captured, the rest
     * released) posted and stored.
     */
    public Uni<Void> collect(List<Collection> collections, OffsetDateTime now) {
        if (collections.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return lock(collections.stream().map(Collection::orderId).toList()).chain(holds -> {
            List<PaymentInstructions.ForOrder> charges = new ArrayList<>();
            Effects effects = new Effects(now);
            for (Collection c : collections) {
                Hold hold = holds.get(c.orderId());
                String authorization = hold == null ? null : hold.captures(c.charged());
                charges.add(PaymentInstructions.ForOrder.charge(c.orderId(), c.residentId(), c.charged().fen(), authorization));
                if (hold != null) {
                    Hold.Effect effect = hold.collect(c.charged());
                    holds.put(c.orderId(), effect.next());
                    effects.add(hold, effect, authorization == null ? "charged directly, not from this hold" : "rest of the hold");
                }
            }
            return instructions.add(charges, now).chain(() -> effects.apply());
        });
    }

    /** Orders cancelled with nothing to collect: their holds are released (or will be, once held). */
    public Uni<Void> release(List<String> orderIds, OffsetDateTime now) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return lock(orderIds).chain(holds -> {
            Effects effects = new Effects(now);
            for (String orderId : orderIds) {
                Hold hold = holds.get(orderId);
                if (hold != null) {
                    Hold.Effect effect = hold.release();
                    holds.put(orderId, effect.next());
                    effects.add(hold, effect, "order cancelled");
                }
            }
            return effects.apply();
        });
    }

    /** Records the channel's answers to hold instructions and their effects (each answer once, in the sender's transaction). */
    public Uni<Void> answered(List<HoldAnswer> answers, OffsetDateTime now) {
        if (answers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return lock(answers.stream().map(HoldAnswer::orderId).distinct().toList()).chain(holds -> {
            Effects effects = new Effects(now);
            for (HoldAnswer a : answers) {
                Hold hold = holds.get(a.orderId());
                if (hold != null) {
                    Hold.Effect effect = hold.answered(a.reference(), a.succeeded());
                    holds.put(a.orderId(), effect.next());
                    effects.reason(a.orderId(), a.succeeded() ? null : a.reason() == null ? "the channel refused the hold" : a.reason());
                    effects.add(hold, effect, a.succeeded() ? "released after the order was cancelled"
                            : "the authorisation lapsed: its renewal was refused");
                }
            }
            return effects.apply();
        });
    }

    /**
     * Asks for a fresh authorisation of every held order whose authorisation expires within
     * {@code gig.payments.hold-renew-before}: an order is never worked on a hold that lapsed. Runs in
     * its own transaction; returns how many renewals were asked for.
     */
    public Uni<Integer> renewExpiring() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        UPDATE payment_hold h SET renewals = h.renewals + 1,
                                                  renewal_ref = 'HOLD-' || h.order_id || '-' || (h.renewals + 2),
                                                  updated_at = :now
                        FROM (SELECT order_id FROM payment_hold
                              WHERE status = 'HELD' AND renewal_ref IS NULL AND expires_at < :horizon
                              ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED) due
                        WHERE h.order_id = due.order_id
                        RETURNING h.order_id, h.resident_id, h.amount_fen, h.renewal_ref""", Tuple.class)
                .setParameter("now", now).setParameter("horizon", now.plus(renewBefore)).getResultList())
                .chain(rows -> instructions.add(rows.stream().map(r -> PaymentInstructions.ForOrder.hold(
                        r.get("renewal_ref", String.class), r.get("order_id", String.class), r.get("resident_id", String.class),
                        r.get("amount_fen", Number.class).longValue())).toList(), now)))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("asked the channel to renew %d expiring hold(s)", n);
                    }
                });
    }

    @Scheduled(every = "${gig.payments.hold-renewal-check:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "10s",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> renewExpiringHolds() {
        return renewExpiring().replaceWithVoid();
    }

    /**
     * The gauges an operator watches: money held for open orders now, and holds still waiting for the
     * channel's answer (orders no worker can see yet) with the age of the oldest.
     */
    @Scheduled(every = "${gig.payments.hold-metrics-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public Uni<Void> measureHolds() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT coalesce(sum(amount_fen - captured_fen - voided_fen) FILTER (WHERE status = 'HELD'), 0) AS held,
                               count(*) FILTER (WHERE status = 'PENDING') AS pending,
                               coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'PENDING')), 0) AS oldest
                        FROM payment_hold WHERE status IN ('HELD', 'PENDING')""", Tuple.class).getSingleResult()))
                .invoke(r -> {
                    heldFen.set(r.get("held", Number.class).longValue());
                    pending.set(r.get("pending", Number.class).longValue());
                    oldestPendingSeconds.set(r.get("oldest", Number.class).longValue());
                })
                .replaceWithVoid();
    }

    /** The order's hold as its resident or finance sees it, or empty when the order has none. */
    public Uni<Optional<View>> view(String orderId) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT order_id, resident_id, status, amount_fen, captured_fen, voided_fen, expires_at, reason
                        FROM payment_hold WHERE order_id = :order""", Tuple.class)
                .setParameter("order", orderId).getResultList()))
                .map(rows -> rows.stream().findFirst().map(r -> new View(r.get("order_id", String.class),
                        r.get("resident_id", String.class), r.get("status", String.class),
                        r.get("amount_fen", Number.class).longValue(), r.get("captured_fen", Number.class).longValue(),
                        r.get("voided_fen", Number.class).longValue(),
                        r.get("expires_at") == null ? null : NativeValues.offsetDateTime(r.get("expires_at")),
                        r.get("reason", String.class))));
    }

    /** The orders' holds, locked for this transaction (in order id order, so two transactions never deadlock). */
    private Uni<Map<String, Hold>> lock(List<String> orderIds) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT order_id, resident_id, amount_fen, status, authorization_ref, renewal_ref, void_requested
                        FROM payment_hold WHERE order_id = ANY (CAST(:orders AS text[])) ORDER BY order_id FOR UPDATE""", Tuple.class)
                .setParameter("orders", orderIds.toArray(String[]::new)).getResultList())
                .map(rows -> {
                    Map<String, Hold> holds = new HashMap<>();
                    for (Tuple r : rows) {
                        holds.put(r.get("order_id", String.class), new Hold(r.get("order_id", String.class),
                                r.get("resident_id", String.class), Money.fen(r.get("amount_fen", Number.class).longValue()),
                                Hold.Status.valueOf(r.get("status", String.class)), r.get("authorization_ref", String.class),
                                r.get("renewal_ref", String.class), r.get("void_requested", Boolean.class)));
                    }
                    return holds;
                });
    }

    /**
     * The effects of steps on holds, carried out together: one row change per hold (several steps of
     * one hold in a batch add up), the journal transactions, the voids to send and the events.
     */
    private final class Effects {
        private record Change(Hold hold, long captured, long released, boolean freshAuthorization) {
            Change then(Change next) {
                return new Change(next.hold, captured + next.captured, released + next.released,
                        freshAuthorization || next.freshAuthorization);
            }
        }

        private final OffsetDateTime now;
        private final Map<String, Change> changes = new java.util.LinkedHashMap<>();
        private final Map<String, String> reasons = new HashMap<>();
        private final List<JournalTransaction> postings = new ArrayList<>();
        private final List<PaymentInstructions.ForOrder> voids = new ArrayList<>();
        private final List<Outbox.Event> events = new ArrayList<>();

        Effects(OffsetDateTime now) {
            this.now = now;
        }

        void add(Hold before, Hold.Effect effect, String releaseWhy) {
            if (effect.next().equals(before) && effect.voidAuthorization() == null) {
                return;
            }
            Hold h = effect.next();
            changes.merge(h.orderId(), new Change(h, effect.captured().fen(), effect.released().fen(), effect.freshAuthorization()),
                    Change::then);
            if (effect.held().fen() > 0) {
                postings.add(Postings.hold(h.orderId(), effect.held()));
            }
            if (effect.captured().fen() > 0) {
                postings.add(Postings.holdCaptured(h.orderId(), effect.captured()));
            }
            if (effect.released().fen() > 0) {
                postings.add(Postings.holdVoided(h.orderId(), effect.released(), releaseWhy));
            }
            if (effect.voidAuthorization() != null) {
                voids.add(PaymentInstructions.ForOrder.release(effect.voidAuthorization(), h.orderId(), h.residentId(),
                        h.amount().fen()));
            }
            if (effect.signal() == Hold.Signal.HELD) {
                events.add(new Outbox.Event(Topics.SETTLEMENT, h.orderId(), EventTypes.PAYMENT_HELD,
                        new PaymentHeld(h.orderId(), h.residentId(), h.amount().fen(), now.plus(validity), now)));
            } else if (effect.signal() == Hold.Signal.FAILED) {
                events.add(new Outbox.Event(Topics.SETTLEMENT, h.orderId(), EventTypes.PAYMENT_FAILED,
                        new PaymentFailed(h.orderId(), h.residentId(),
                                reasons.getOrDefault(h.orderId(), "the channel refused to hold the money"), now)));
            }
        }

        void reason(String orderId, String reason) {
            if (reason != null) {
                reasons.put(orderId, reason);
            }
        }

        Uni<Void> apply() {
            if (changes.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<Change> all = List.copyOf(changes.values());
            return Panache.getSession().chain(s -> s.createNativeQuery("""
                            UPDATE payment_hold h SET status = u.status, authorization_ref = u.auth, renewal_ref = u.renewal,
                                                      void_requested = u.void_requested,
                                                      captured_fen = h.captured_fen + u.captured,
                                                      voided_fen = h.voided_fen + u.released,
                                                      expires_at = CASE WHEN u.extend THEN CAST(:expires AS timestamptz)
                                                                        ELSE h.expires_at END,
                                                      reason = coalesce(u.why, h.reason), updated_at = :now
                            FROM unnest(CAST(:orders AS text[]), CAST(:statuses AS text[]), CAST(:auths AS text[]),
                                        CAST(:renewals AS text[]), CAST(:voids AS boolean[]), CAST(:captured AS bigint[]),
                                        CAST(:released AS bigint[]), CAST(:extend AS boolean[]), CAST(:why AS text[]))
                                 AS u(order_id, status, auth, renewal, void_requested, captured, released, extend, why)
                            WHERE h.order_id = u.order_id""")
                    .setParameter("orders", all.stream().map(c -> c.hold().orderId()).toArray(String[]::new))
                    .setParameter("statuses", all.stream().map(c -> c.hold().status().name()).toArray(String[]::new))
                    .setParameter("auths", all.stream().map(c -> c.hold().authorization()).toArray(String[]::new))
                    .setParameter("renewals", all.stream().map(c -> c.hold().renewal()).toArray(String[]::new))
                    .setParameter("voids", all.stream().map(c -> c.hold().voidRequested()).toArray(Boolean[]::new))
                    .setParameter("captured", all.stream().map(Change::captured).toArray(Long[]::new))
                    .setParameter("released", all.stream().map(Change::released).toArray(Long[]::new))
                    .setParameter("extend", all.stream().map(Change::freshAuthorization).toArray(Boolean[]::new))
                    .setParameter("why", all.stream().map(c -> reasons.get(c.hold().orderId())).toArray(String[]::new))
                    .setParameter("expires", now.plus(validity)).setParameter("now", now).executeUpdate())
                    .chain(() -> ledger.postAll(postings, now))
                    .chain(() -> instructions.add(voids, now))
                    .chain(() -> outbox.addAll(events))
                    .replaceWithVoid();
        }
    }
}
