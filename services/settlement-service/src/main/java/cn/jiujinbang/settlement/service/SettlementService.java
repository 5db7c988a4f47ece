package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.SettlementSettled;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.settlement.Settlement;
import cn.jiujinbang.settlement.channel.PaymentChannel;
import cn.jiujinbang.settlement.config.SettlementConfig;
import cn.jiujinbang.settlement.domain.IncomeToDate;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.SettlementCalculation;
import cn.jiujinbang.settlement.domain.TaxRule;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * Settles orders: one settlement and one balanced journal transaction per order, the charge asked
 * of the payment channel, then {@code gig.settlement.settled.v1}. Runs inside the inbox transaction of the event that causes it.
 */
@ApplicationScoped
public class SettlementService {

    private final LedgerRepository ledger;
    private final PaymentChannel channel;
    private final Outbox outbox;
    private final TaxRule taxRule;
    private final SettlementConfig config;
    private final Clock clock;

    public SettlementService(LedgerRepository ledger, PaymentChannel channel, Outbox outbox, TaxRule taxRule,
                             SettlementConfig config, Clock clock) {
        this.ledger = ledger;
        this.channel = channel;
        this.outbox = outbox;
        this.taxRule = taxRule;
        this.config = config;
        this.clock = clock;
    }

    /** What to settle: the worker's gross labor fee and the resident's service fee. */
    record Claim(Settlement.Kind kind, String orderId, String workerId, String residentId, String categoryCode,
                 Money gross, Money serviceFee, OffsetDateTime earnedAt) {
    }

    public Uni<Void> onCompleted(OrderCompleted e) {
        return settle(new Claim(Settlement.Kind.ORDER, e.orderId(), e.workerId(), e.residentId(), e.categoryCode(),
                Money.fen(e.priceFen()), Money.fen(e.serviceFeeFen()), e.completedAt()));
    }

    /**
     * A cancellation after a worker was assigned pays them the configured share of the price,
     * charged to the resident without a service fee; before assignment nothing is charged.
     */
    public Uni<Void> onCancelled(OrderCancelled e) {
        Money compensation = Money.fen(e.priceFen()).share(config.compensationShareBp());
        if (!e.wasAssigned() || e.workerId() == null || compensation.fen() == 0) {
            return Uni.createFrom().voidItem();
        }
        return settle(new Claim(Settlement.Kind.COMPENSATION, e.orderId(), e.workerId(), e.residentId(),
                e.categoryCode(), compensation, Money.ZERO, e.cancelledAt()));
    }

    private Uni<Void> settle(Claim claim) {
        ZonedDateTime local = claim.earnedAt().atZoneSameInstant(ClockProducer.BUSINESS_ZONE);
        int year = local.getYear();
        int month = local.getMonthValue();
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.getSession().chain(s -> lockWorker(s, claim.workerId())
                .chain(() -> s.find(Settlement.class, claim.orderId()))
                .chain(existing -> existing != null
                        ? Uni.createFrom().voidItem() // exactly one settlement per order
                        : incomeToDate(s, claim.workerId(), year, month).chain(before -> {
                            SettlementCalculation money = SettlementCalculation.of(claim.gross(), claim.serviceFee(), taxRule, before);
                            return ledger.post(money.journal(claim.kind() == Settlement.Kind.ORDER ? "SETTLEMENT" : "COMPENSATION",
                                            claim.orderId(), claim.workerId()), now)
                                    .chain(txId -> s.persist(settlement(claim, money, year, month, now, txId)))
                                    .chain(() -> money.charged().fen() > 0
                                            ? channel.charge(claim.orderId(), money.charged().fen(), now)
                                            : Uni.createFrom().voidItem())
                                    .chain(() -> outbox.add(Topics.SETTLEMENT, claim.orderId(), EventTypes.SETTLEMENT_SETTLED,
                                            new SettlementSettled(claim.orderId(), claim.workerId(), claim.kind().name(),
                                                    money.gross().fen(), money.serviceFee().fen(), money.tax().fen(),
                                                    money.net().fen(), money.charged().fen(), now)))
                                    .replaceWithVoid();
                        })));
    }

    /**
     * Serializes the settlements of one worker: whoever holds this row lock reads and extends the
     * worker's income to date; a second settlement of the same worker waits for the first to commit.
     */
    private static Uni<Void> lockWorker(Mutiny.Session s, String workerId) {
        return s.createNativeQuery("INSERT INTO worker_tax_lock (worker_id) VALUES (:w) ON CONFLICT DO NOTHING")
                .setParameter("w", workerId).executeUpdate()
                .chain(() -> s.createNativeQuery("SELECT worker_id FROM worker_tax_lock WHERE worker_id = :w FOR UPDATE", String.class)
                        .setParameter("w", workerId).getSingleResult())
                .replaceWithVoid();
    }

    private static Uni<IncomeToDate> incomeToDate(Mutiny.Session s, String workerId, int year, int month) {
        return s.createNativeQuery("""
                        SELECT coalesce(sum(gross_fen), 0), coalesce(sum(tax_fen), 0),
                               coalesce(sum(gross_fen) FILTER (WHERE tax_month = :month), 0),
                               coalesce(sum(tax_fen) FILTER (WHERE tax_month = :month), 0),
                               count(DISTINCT tax_month) FILTER (WHERE tax_month <> :month)
                        FROM settlement WHERE worker_id = :worker AND tax_year = :year""", Object[].class)
                .setParameter("worker", workerId).setParameter("year", year).setParameter("month", month)
                .getSingleResult()
                .map(r -> new IncomeToDate(Money.fen(((Number) r[0]).longValue()), Money.fen(((Number) r[1]).longValue()),
                        ((Number) r[4]).intValue() + 1, Money.fen(((Number) r[2]).longValue()),
                        Money.fen(((Number) r[3]).longValue())));
    }

    private Settlement settlement(Claim claim, SettlementCalculation money, int year, int month, OffsetDateTime now,
                                  java.util.UUID txId) {
        Settlement st = new Settlement();
        st.orderId = claim.orderId();
        st.kind = claim.kind();
        st.workerId = claim.workerId();
        st.residentId = claim.residentId();
        st.categoryCode = claim.categoryCode();
        st.grossFen = money.gross().fen();
        st.serviceFeeFen = money.serviceFee().fen();
        st.taxFen = money.tax().fen();
        st.netFen = money.net().fen();
        st.chargedFen = money.charged().fen();
        st.taxRule = taxRule.name();
        st.earnedAt = claim.earnedAt();
        st.taxYear = year;
        st.taxMonth = month;
        st.settledAt = now;
        st.journalTransactionId = txId;
        return st;
    }
}
