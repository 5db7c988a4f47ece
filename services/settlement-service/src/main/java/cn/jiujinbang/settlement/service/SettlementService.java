package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.events.OrderCancelled;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.events.SettlementSettled;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.settlement.Settlement;
import cn.jiujinbang.settlement.config.SettlementConfig;
import cn.jiujinbang.settlement.domain.JournalTransaction;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.Postings;
import cn.jiujinbang.settlement.payments.Escrow;
import cn.jiujinbang.settlement.domain.SettlementCalculation;
import cn.jiujinbang.settlement.domain.TaxRegime;
import cn.jiujinbang.settlement.domain.YearIncome;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Settles orders: one settlement and one balanced journal transaction per order, the charge
 * committed as a payment instruction that captures the order's hold ({@link Escrow}; sent to the
 * channel after the commit, {@code PaymentSender}),
 * then {@code gig.settlement.settled.v1}. Settles a batch of completed and
 * cancelled orders in one transaction with a fixed number of statements (the consumer's batch, see
 * {@code OrderEvents}); runs inside the inbox transaction of the events that cause it.
 * <p>
 * Tax is computed per worker in order: the batch locks its workers' rows (in worker order, so two
 * batches never deadlock), reads each worker's income of the year once, and settles that worker's
 * orders one after the other on top of it ({@link YearIncome}). A second batch with the same
 * worker waits for the first to commit, so each worker's settlements are taxed as a sequential
 * replay of them would be.
 */
@ApplicationScoped
public class SettlementService {

    private final LedgerRepository ledger;
    private final Escrow escrow;
    private final Outbox outbox;
    private final TaxRegime taxes;
    private final SettlementConfig config;
    private final Clock clock;

    private final Counter settled;
    private final Counter chargedFen;

    public SettlementService(LedgerRepository ledger, Escrow escrow, Outbox outbox, TaxRegime taxes,
                             SettlementConfig config, Clock clock, MeterRegistry metrics) {
        this.settled = Counter.builder("gig.settlements").description("orders settled (a batch retried after an outage counts again)")
                .register(metrics);
        this.chargedFen = Counter.builder("gig.settlements.charged.fen").description("fen charged to residents by settlements")
                .register(metrics);
        this.ledger = ledger;
        this.escrow = escrow;
        this.outbox = outbox;
        this.taxes = taxes;
        this.config = config;
        this.clock = clock;
    }

    /** What to settle: the worker's gross labor fee and the resident's service fee. */
    public record Claim(Settlement.Kind kind, String orderId, String workerId, String residentId, String categoryCode,
                        Money gross, Money serviceFee, OffsetDateTime earnedAt) {

        /** The tax period: the month the order was completed (or cancelled), Asia/Shanghai. */
        YearMonth taxMonth() {
            return YearMonth.from(local());
        }

        private ZonedDateTime local() {
            return earnedAt.atZoneSameInstant(ClockProducer.BUSINESS_ZONE);
        }
    }

    public Claim claim(OrderCompleted e) {
        return new Claim(Settlement.Kind.ORDER, e.orderId(), e.workerId(), e.residentId(), e.categoryCode(),
                Money.fen(e.priceFen()), Money.fen(e.serviceFeeFen()), e.completedAt());
    }

    /**
     * A cancellation after a worker was assigned pays them the configured share of the price,
     * charged to the resident without a service fee; before assignment nothing is charged (empty).
     */
    public Optional<Claim> claim(OrderCancelled e) {
        Money compensation = Money.fen(e.priceFen()).share(config.compensationShareBp());
        if (!e.wasAssigned() || e.workerId() == null || compensation.fen() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Claim(Settlement.Kind.COMPENSATION, e.orderId(), e.workerId(), e.residentId(),
                e.categoryCode(), compensation, Money.ZERO, e.cancelledAt()));
    }

    /** One settlement computed: the claim, its money and the tax period it falls in. */
    private record Booking(Claim claim, SettlementCalculation money) {

        JournalTransaction journal() {
            return Postings.settlement(claim.kind() == Settlement.Kind.COMPENSATION, claim.orderId(), claim.workerId(),
                    claim.taxMonth(), money);
        }
    }

    private record WorkerYear(String workerId, int year) {
    }

    /** Settles the claims in their order; an order settled before (or twice in the list) is settled once. */
    public Uni<Void> settle(List<Claim> claims) {
        if (claims.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        String[] workers = claims.stream().map(Claim::workerId).distinct().sorted().toArray(String[]::new);
        String[] orders = claims.stream().map(Claim::orderId).toArray(String[]::new);
        return Panache.getSession().chain(s -> lockWorkers(s, workers)
                .chain(() -> settledAlready(s, orders))
                .chain(settled -> incomeOfTheYear(s, claims).chain(years -> {
                    List<Booking> bookings = new ArrayList<>();
                    Set<String> done = new HashSet<>(settled);
                    for (Claim claim : claims) {
                        if (!done.add(claim.orderId())) {
                            continue; // exactly one settlement per order
                        }
                        YearIncome year = years.computeIfAbsent(new WorkerYear(claim.workerId(), claim.taxMonth().getYear()),
                                ignored -> new YearIncome());
                        SettlementCalculation money = taxes.settle(claim.gross(), claim.serviceFee(), claim.taxMonth(), year);
                        year.add(claim.taxMonth().getMonthValue(), money.gross(), money.tax());
                        bookings.add(new Booking(claim, money));
                    }
                    return book(s, bookings, now);
                })));
    }

    private Uni<Void> book(Mutiny.Session s, List<Booking> bookings, OffsetDateTime now) {
        if (bookings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ledger.postAll(bookings.stream().map(Booking::journal).toList(), now)
                .chain(txIds -> insertSettlements(s, bookings, txIds, now))
                .chain(() -> escrow.collect(bookings.stream().filter(b -> b.money().charged().fen() > 0)
                        .map(b -> new Escrow.Collection(b.claim().orderId(), b.claim().residentId(), b.money().charged()))
                        .toList(), now))
                .chain(() -> outbox.addAll(bookings.stream().map(b -> new Outbox.Event(Topics.SETTLEMENT, b.claim().orderId(),
                        EventTypes.SETTLEMENT_SETTLED, new SettlementSettled(b.claim().orderId(), b.claim().workerId(),
                        b.claim().kind().name(), b.money().gross().fen(), b.money().serviceFee().fen(), b.money().tax().fen(),
                        b.money().net().fen(), b.money().charged().fen(), now))).toList()))
                .replaceWithVoid();
    }

    /**
     * Serializes the settlements of each worker: whoever holds a worker's row lock reads and extends
     * that worker's income to date; a second settlement of the same worker waits for the first to
     * commit. Rows are created and locked in worker order, so concurrent batches cannot deadlock.
     */
    private static Uni<Void> lockWorkers(Mutiny.Session s, String[] sortedWorkers) {
        return s.createNativeQuery("""
                        INSERT INTO worker_tax_lock (worker_id)
                        SELECT w FROM unnest(CAST(:workers AS text[])) AS w ORDER BY w ON CONFLICT DO NOTHING""")
                .setParameter("workers", sortedWorkers).executeUpdate()
                .chain(() -> s.createNativeQuery("""
                                SELECT worker_id FROM worker_tax_lock WHERE worker_id = ANY (CAST(:workers AS text[]))
                                ORDER BY worker_id FOR UPDATE""", String.class)
                        .setParameter("workers", sortedWorkers).getResultList())
                .replaceWithVoid();
    }

    private static Uni<List<String>> settledAlready(Mutiny.Session s, String[] orderIds) {
        return s.createNativeQuery("SELECT order_id FROM settlement WHERE order_id = ANY (CAST(:orders AS text[]))", String.class)
                .setParameter("orders", orderIds).getResultList();
    }

    /**
     * Each claimed worker's settled income by month of the claims' tax years, in one query (per worker
     * through settlement_worker_period: a join would let the planner scan every settlement).
     */
    private static Uni<Map<WorkerYear, YearIncome>> incomeOfTheYear(Mutiny.Session s, List<Claim> claims) {
        List<WorkerYear> keys = claims.stream().map(c -> new WorkerYear(c.workerId(), c.taxMonth().getYear())).distinct().toList();
        return s.createNativeQuery("""
                        SELECT k.worker_id AS worker, k.tax_year AS year, m.tax_month AS month, m.gross, m.tax
                        FROM unnest(CAST(:workers AS text[]), CAST(:years AS int[])) AS k(worker_id, tax_year)
                        CROSS JOIN LATERAL (SELECT st.tax_month, sum(st.gross_fen) AS gross, sum(st.tax_fen) AS tax
                                            FROM settlement st WHERE st.worker_id = k.worker_id AND st.tax_year = k.tax_year
                                            GROUP BY st.tax_month) m""", Tuple.class)
                .setParameter("workers", keys.stream().map(WorkerYear::workerId).toArray(String[]::new))
                .setParameter("years", keys.stream().map(WorkerYear::year).toArray(Integer[]::new))
                .getResultList()
                .map(rows -> {
                    Map<WorkerYear, YearIncome> years = new HashMap<>();
                    for (Tuple r : rows) {
                        years.computeIfAbsent(new WorkerYear(r.get("worker", String.class), r.get("year", Number.class).intValue()),
                                        ignored -> new YearIncome())
                                .add(r.get("month", Number.class).intValue(), Money.fen(r.get("gross", Number.class).longValue()),
                                        Money.fen(r.get("tax", Number.class).longValue()));
                    }
                    return years;
                });
    }

    private Uni<Integer> insertSettlements(Mutiny.Session s, List<Booking> bookings, List<UUID> txIds, OffsetDateTime now) {
        int n = bookings.size();
        String[] orderIds = new String[n];
        String[] kinds = new String[n];
        String[] workers = new String[n];
        String[] residents = new String[n];
        String[] categories = new String[n];
        Long[] gross = new Long[n];
        Long[] fee = new Long[n];
        Long[] tax = new Long[n];
        Long[] net = new Long[n];
        Long[] charged = new Long[n];
        String[] earnedAt = new String[n];
        Integer[] years = new Integer[n];
        Integer[] months = new Integer[n];
        String[] rules = new String[n];
        String[] journal = new String[n];
        for (int i = 0; i < n; i++) {
            Claim c = bookings.get(i).claim();
            SettlementCalculation m = bookings.get(i).money();
            orderIds[i] = c.orderId();
            kinds[i] = c.kind().name();
            workers[i] = c.workerId();
            residents[i] = c.residentId();
            categories[i] = c.categoryCode();
            gross[i] = m.gross().fen();
            fee[i] = m.serviceFee().fen();
            tax[i] = m.tax().fen();
            net[i] = m.net().fen();
            charged[i] = m.charged().fen();
            earnedAt[i] = c.earnedAt().toString();
            years[i] = c.taxMonth().getYear();
            months[i] = c.taxMonth().getMonthValue();
            rules[i] = taxes.ruleFor(c.taxMonth()).name();
            journal[i] = txIds.get(i).toString();
        }
        return s.createNativeQuery("""
                        INSERT INTO settlement (order_id, kind, worker_id, resident_id, category_code, gross_fen, service_fee_fen,
                                                tax_fen, net_fen, charged_fen, tax_rule, earned_at, tax_year, tax_month,
                                                settled_at, journal_transaction_id)
                        SELECT b.order_id, b.kind, b.worker_id, b.resident_id, b.category_code, b.gross, b.fee, b.tax, b.net,
                               b.charged, b.rule, CAST(b.earned_at AS timestamptz), b.tax_year, b.tax_month, :now,
                               CAST(b.journal AS uuid)
                        FROM unnest(CAST(:orders AS text[]), CAST(:kinds AS text[]), CAST(:workers AS text[]),
                                    CAST(:residents AS text[]), CAST(:categories AS text[]), CAST(:gross AS bigint[]),
                                    CAST(:fee AS bigint[]), CAST(:tax AS bigint[]), CAST(:net AS bigint[]),
                                    CAST(:charged AS bigint[]), CAST(:earned AS text[]), CAST(:years AS int[]),
                                    CAST(:months AS int[]), CAST(:journal AS text[]), CAST(:rules AS text[]))
                             WITH ORDINALITY AS b(order_id, kind, worker_id, resident_id, category_code, gross, fee, tax, net,
                                                  charged, earned_at, tax_year, tax_month, journal, rule, n)
                        ORDER BY b.n""")
                .setParameter("orders", orderIds).setParameter("kinds", kinds).setParameter("workers", workers)
                .setParameter("residents", residents).setParameter("categories", categories).setParameter("gross", gross)
                .setParameter("fee", fee).setParameter("tax", tax).setParameter("net", net).setParameter("charged", charged)
                .setParameter("rules", rules).setParameter("earned", earnedAt).setParameter("years", years)
                .setParameter("months", months).setParameter("now", now).setParameter("journal", journal)
                .executeUpdate()
                .invoke(rows -> {
                    settled.increment(rows);
                    chargedFen.increment(java.util.Arrays.stream(charged).mapToLong(Long::longValue).sum());
                });
    }
}
