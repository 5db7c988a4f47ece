package cn.jiujinbang.settlement.payments;

import cn.jiujinbang.platform.persistence.DatabaseNotifications;
import cn.jiujinbang.settlement.channel.PaymentChannel;
import cn.jiujinbang.settlement.channel.PaymentChannel.Answer;
import cn.jiujinbang.settlement.channel.PaymentChannel.Outcome;
import cn.jiujinbang.settlement.service.DoubtfulReceivables;
import cn.jiujinbang.settlement.service.PayoutService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends committed payment instructions to the channel, outside any database transaction, and
 * records the answers (docs/settlement.md, "Payment instructions").
 * <ul>
 *   <li><b>Woken by the commit</b>: the instruction table's trigger notifies {@code gig_payments} at
 *       commit (every replica hears it); a safety poll retries what is due.</li>
 *   <li><b>Safe with replicas and crashes</b>: a round claims due instructions with a lease
 *       ({@code FOR UPDATE SKIP LOCKED}); a sender that dies mid-call leaves them to be taken over when
 *       the lease ends. A second attempt first asks the channel what it did with the reference and
 *       sends only if it never received it; the reference is the channel's idempotency key anyway.</li>
 *   <li><b>Unknown is not failed</b>: a call that errs or times out, with no status either, is tried
 *       again later with back-off; only the channel's own FAILED fails an instruction.</li>
 *   <li><b>Effects once</b>: answers are recorded in one transaction per round with their effects: a
 *       hold held or refused ({@link Escrow}), a payout SENT or FAILED (owed again), a failed charge
 *       booked doubtful and its net held.</li>
 * </ul>
 */
@ApplicationScoped
public class PaymentSender {

    private static final Logger LOG = Logger.getLogger(PaymentSender.class);
    public static final String CHANNEL = "gig_payments";

    private final PaymentInstructions instructions;
    private final PaymentChannel channel;
    private final PayoutService payouts;
    private final DoubtfulReceivables doubtful;
    private final Escrow escrow;
    private final DatabaseNotifications notifications;
    private final Clock clock;
    private final boolean enabled;
    private final Duration safetyPoll;
    private final Duration timeout;
    private final Duration lease;
    private final int batch;
    private final int concurrency;
    private final ExecutorService calls;
    private final Counter answered;
    private final Counter unknown;
    private final Counter voidsRefused;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread worker;

    public PaymentSender(PaymentInstructions instructions, PaymentChannel channel, PayoutService payouts,
                         DoubtfulReceivables doubtful, Escrow escrow, DatabaseNotifications notifications, Clock clock, MeterRegistry metrics,
                         @ConfigProperty(name = "gig.payments.sender.enabled", defaultValue = "true") boolean enabled,
                         @ConfigProperty(name = "gig.payments.sender.safety-poll", defaultValue = "5s") Duration safetyPoll,
                         @ConfigProperty(name = "gig.payments.sender.timeout", defaultValue = "10s") Duration timeout,
                         @ConfigProperty(name = "gig.payments.sender.lease", defaultValue = "60s") Duration lease,
                         @ConfigProperty(name = "gig.payments.sender.concurrency", defaultValue = "8") int concurrency,
                         @ConfigProperty(name = "gig.payments.sender.batch", defaultValue = "200") int batch) {
        this.instructions = instructions;
        this.channel = channel;
        this.payouts = payouts;
        this.doubtful = doubtful;
        this.escrow = escrow;
        this.notifications = notifications;
        this.clock = clock;
        this.enabled = enabled;
        this.safetyPoll = safetyPoll;
        this.timeout = timeout;
        this.lease = lease;
        this.batch = batch;
        this.concurrency = concurrency;
        this.calls = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "payment-channel-call");
            t.setDaemon(true);
            return t;
        });
        this.answered = metrics.counter("gig.payments.answered");
        this.unknown = metrics.counter("gig.payments.unknown");
        this.voidsRefused = metrics.counter("gig.payments.voids.refused");
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.warn("the payment sender is off (gig.payments.sender.enabled=false): instructions wait");
            return;
        }
        notifications.listen(CHANNEL, ignored -> wake());
        worker = new Thread(this::run, "payment-sender");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        wake();
        calls.shutdownNow();
    }

    /** Asks the sender to look for due instructions now. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        long backoffMs = 100;
        while (!stopped) {
            try {
                int handled = round();
                backoffMs = 100;
                if (handled < batch) {
                    awaitWake(safetyPoll.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (stopped) {
                    return;
                }
                LOG.warnf("payment sender will retry in %d ms: %s", backoffMs, e.toString());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    private void awaitWake(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!woken) {
                signal.wait(millis);
            }
            woken = false;
        }
    }

    /** One round: claim due instructions, ask the channel (in parallel, no transaction), record the answers. */
    public int round() throws Throwable {
        List<PaymentInstructions.Due> due = VertxContextSupport.subscribeAndAwait(() ->
                instructions.claim(batch, OffsetDateTime.now(clock), lease));
        if (due.isEmpty()) {
            return 0;
        }
        // first attempts go in groups through the channel's batch call (one per call thread); a later
        // attempt asks about its reference first, one by one
        List<PaymentInstructions.Due> first = due.stream().filter(d -> d.attempts() == 1).toList();
        List<PaymentInstructions.Due> again = due.stream().filter(d -> d.attempts() > 1).toList();
        // one call thread per group of first attempts, one per later attempt
        List<List<PaymentInstructions.Due>> groups = new ArrayList<>();
        int groupSize = Math.max(1, (first.size() + concurrency - 1) / concurrency);
        for (int from = 0; from < first.size(); from += groupSize) {
            groups.add(first.subList(from, Math.min(first.size(), from + groupSize)));
        }
        again.forEach(d -> groups.add(List.of(d)));
        List<Future<List<Answer>>> asked = new ArrayList<>(groups.size());
        for (List<PaymentInstructions.Due> group : groups) {
            asked.add(calls.submit(() -> await(() -> group.get(0).attempts() > 1
                    ? askAgain(group.get(0)).map(a -> java.util.Collections.singletonList(a)) : sendAll(group))));
        }
        List<PaymentInstructions.Due> known = new ArrayList<>();
        List<Answer> answers = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<PaymentInstructions.Due> group = groups.get(g);
            List<Answer> got;
            String error = "the channel has no record of it after the call";
            try {
                got = asked.get(g).get();
            } catch (java.util.concurrent.ExecutionException e) {
                got = java.util.Collections.nCopies(group.size(), null);
                error = String.valueOf(e.getCause());
            }
            for (int i = 0; i < group.size(); i++) {
                if (got.get(i) == null) {
                    unanswered.add(group.get(i).reference());
                    errors.add(error);
                } else {
                    known.add(group.get(i));
                    answers.add(got.get(i));
                }
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        int attempts = due.stream().mapToInt(PaymentInstructions.Due::attempts).max().orElse(1);
        OffsetDateTime next = now.plusSeconds(Math.min(300, 1L << Math.min(8, attempts)));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                instructions.retryLater(unanswered, errors, next)
                        .chain(() -> record(known, answers, now))));
        answered.increment(known.size());
        unknown.increment(unanswered.size());
        if (!unanswered.isEmpty()) {
            LOG.warnf("%d payment instruction(s) without an answer, tried again from %s: %s", unanswered.size(), next,
                    errors.get(0));
        }
        return due.size();
    }

    private static <T> T await(java.util.function.Supplier<Uni<T>> work) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * First attempts of a group, in one call of the channel; an instruction without an answer (the
     * call failed or timed out, or the channel has no answer for it) is asked about by its reference.
     */
    private Uni<List<Answer>> sendAll(List<PaymentInstructions.Due> group) {
        return channel.sendAll(group.stream().map(PaymentInstructions.Due::instruction).toList())
                .ifNoItem().after(timeout.multipliedBy(group.size())).fail()
                .onFailure().recoverWithItem(() -> java.util.Collections.nCopies(group.size(), null))
                .chain(answers -> {
                    Uni<List<Answer>> all = Uni.createFrom().item(new ArrayList<>(group.size()));
                    for (int i = 0; i < group.size(); i++) {
                        Answer a = answers.get(i);
                        PaymentInstructions.Due d = group.get(i);
                        all = all.chain(list -> (a != null ? Uni.createFrom().item(a)
                                : status(d).onFailure().recoverWithNull()).map(x -> {
                            list.add(x);
                            return list;
                        }));
                    }
                    return all;
                });
    }

    /**
     * The channel's answer for an instruction tried before, or {@code null} while it is unknown: it
     * asks first and sends only if the channel never received the reference. A send that errs or
     * times out is followed by a status query, since the channel may have done it and the answer got lost.
     */
    private Uni<Answer> askAgain(PaymentInstructions.Due d) {
        return status(d).chain(a -> a != null ? Uni.createFrom().item(a)
                : channel.send(d.instruction()).ifNoItem().after(timeout).fail()
                .onFailure().recoverWithUni(sendFailure -> status(d).onFailure().transform(statusFailure -> sendFailure)));
    }

    private Uni<Answer> status(PaymentInstructions.Due d) {
        return channel.status(d.kind(), d.reference()).ifNoItem().after(timeout).fail();
    }

    /** Records answers and their effects, each once (an answer recorded before is skipped). */
    private Uni<Void> record(List<PaymentInstructions.Due> known, List<Answer> answers, OffsetDateTime now) {
        List<String> refs = known.stream().map(PaymentInstructions.Due::reference).toList();
        return instructions.answer(refs, answers, now).chain(fresh -> {
            java.util.Set<String> first = new java.util.HashSet<>(fresh);
            List<PayoutService.Answered> payoutAnswers = new ArrayList<>();
            List<DoubtfulReceivables.FailedCharge> failedCharges = new ArrayList<>();
            List<Escrow.HoldAnswer> holdAnswers = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                PaymentInstructions.Due d = known.get(i);
                Answer a = answers.get(i);
                if (!first.contains(d.reference())) {
                    continue;
                }
                boolean succeeded = a.outcome() == Outcome.SUCCEEDED;
                switch (d.kind()) {
                    case PAYOUT -> payoutAnswers.add(new PayoutService.Answered(d.reference(), succeeded, a.channelTxnId(),
                            a.reason()));
                    case HOLD -> holdAnswers.add(new Escrow.HoldAnswer(d.reference(), d.orderId(), succeeded, a.reason()));
                    case CHARGE -> {
                        if (!succeeded) {
                            failedCharges.add(new DoubtfulReceivables.FailedCharge(d.orderId(),
                                    "the channel failed the charge" + (a.reason() == null ? "" : ": " + a.reason())));
                        }
                    }
                    case VOID -> {
                        if (!succeeded) { // the resident's money stays held at the channel: finance must ask it to release
                            voidsRefused.increment();
                            LOG.warnf("the channel refused to release authorisation %s of order %s: %s", d.authorization(),
                                    d.orderId(), a.reason());
                        }
                    }
                }
            }
            return escrow.answered(holdAnswers, now)
                    .chain(() -> payouts.answered(payoutAnswers, now))
                    .chain(() -> doubtful.chargesFailed(failedCharges, now));
        });
    }
}
