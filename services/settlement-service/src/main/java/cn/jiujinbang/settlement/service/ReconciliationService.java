package cn.jiujinbang.settlement.service;

import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.Problem;
import cn.jiujinbang.settlement.domain.ChannelStatement;
import cn.jiujinbang.settlement.domain.Csv;
import cn.jiujinbang.settlement.domain.Postings;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.domain.Reconciliation;
import cn.jiujinbang.settlement.repository.LedgerRepository;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Imports the channel's statement and reconciles it with the ledger. Effects, each at most once:
 * a matched payout is confirmed (payout clearing → bank); a payout the channel failed is owed
 * again (payout clearing → worker payable) and paid by a later batch; a matched charge is
 * received (channel receivable → bank); a charge the channel failed is booked doubtful and the
 * worker's net held from payouts ({@link DoubtfulReceivables}). Mismatched amounts and unknown lines post nothing: they
 * are for finance to investigate. The same statement imported again returns the first report.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its counters are on /q/metrics from the start, at 0, not only after first use
public class ReconciliationService {

    private final LedgerRepository ledger;
    private final PayoutService payouts;
    private final DoubtfulReceivables doubtful;
    private final ObjectMapper json;
    private final Clock clock;

    private final AuditTrail audit;
    private final Counter findings;

    public ReconciliationService(LedgerRepository ledger, PayoutService payouts, DoubtfulReceivables doubtful,
                                 ObjectMapper json, AuditTrail audit, Clock clock, MeterRegistry metrics) {
        this.findings = Counter.builder("gig.reconciliation.findings")
                .description("findings of imported channel statements (missing, unknown, amount or status mismatches)")
                .register(metrics);
        this.ledger = ledger;
        this.audit = audit;
        this.payouts = payouts;
        this.doubtful = doubtful;
        this.json = json;
        this.clock = clock;
    }

    public record Totals(int statementLines, int matched, long matchedFen, int findings) {
    }

    /** How many matched lines a report lists (every finding that is not a match is listed). */
    public static final int MATCHED_SHOWN = 1_000;

    public record Report(UUID id, OffsetDateTime createdAt, LocalDate from, LocalDate to,
                         List<Reconciliation.Finding> matched, List<Reconciliation.Finding> missingInStatement,
                         List<Reconciliation.Finding> unknownInLedger, List<Reconciliation.Finding> amountMismatches,
                         List<Reconciliation.Finding> statusMismatches, List<Reconciliation.Finding> doubtfulCharges,
                         Totals totals) {
    }

    /**
     * Reads a statement from the request body as it arrives (UTF-8; the body itself is never held):
     * a malformed file, or bytes that are not UTF-8, is a 400 naming line and column. Blocking.
     */
    public static ChannelStatement read(InputStream body) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in = new InputStreamReader(body, utf8)) {
            return ChannelStatement.read(in);
        } catch (ChannelStatement.FormatException e) {
            String field = "line " + e.line() + (e.column() == null ? "" : ", column " + e.column());
            throw new ApiProblem(400, "Malformed statement", e.getMessage(), List.of(new Problem.InvalidField(field, e.getMessage())));
        } catch (CharacterCodingException e) {
            throw new ApiProblem(400, "Malformed statement", "the statement is not UTF-8 text",
                    List.of(new Problem.InvalidField("body", "must be UTF-8 text")));
        } catch (IOException e) {
            throw new UncheckedIOException("the statement could not be read from the request", e);
        }
    }

    /** Reconciles a statement for {@code actor} (a statement imported before answers its first report); audited. */
    public Uni<Report> importStatement(ChannelStatement statement, String actor) {
        String sha = statement.sha256();
        LocalDate from = statement.lines().stream().map(l -> day(l.settledAt())).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = statement.lines().stream().map(l -> day(l.settledAt())).max(LocalDate::compareTo).orElseThrow();
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> Panache.getSession().chain(s ->
                s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('gig.reconciliation'))", Object.class).getSingleResult()
                        .chain(() -> s.createNativeQuery("SELECT report FROM reconciliation WHERE statement_sha256 = :sha", String.class)
                                .setParameter("sha", sha).getResultList())
                        .chain(previous -> (previous.isEmpty()
                                ? reconcile(s, statement, sha, from, to, now)
                                : Uni.createFrom().item(read(previous.get(0))))
                        .call(report -> audit.record(s, now, actor, FinanceAction.STATEMENT_RECONCILED, report.id().toString(),
                                java.util.Map.of("statementSha256", sha, "lines", statement.lines().size(),
                                        "from", from.toString(), "to", to.toString(), "findings", report.totals().findings(),
                                        "importedBefore", !previous.isEmpty()))))));
    }

    private Uni<Report> reconcile(Mutiny.Session s, ChannelStatement statement, String sha, LocalDate from, LocalDate to,
                                  OffsetDateTime now) {
        String[] payoutRefs = statement.lines().stream().filter(l -> l.type() == ChannelStatement.Type.PAYOUT)
                .map(ChannelStatement.Line::reference).toArray(String[]::new);
        String[] chargeRefs = statement.lines().stream().filter(l -> l.type() == ChannelStatement.Type.CHARGE)
                .map(ChannelStatement.Line::reference).toArray(String[]::new);
        OffsetDateTime periodStart = ClockProducer.startOf(from);
        OffsetDateTime periodEnd = ClockProducer.startOf(to.plusDays(1));
        return s.createNativeQuery("""
                        SELECT reference, amount_fen, CASE status WHEN 'FAILED' THEN 'FAILED' ELSE 'SENT' END AS status
                        FROM payout
                        WHERE (status IN ('INSTRUCTED', 'SENT') AND created_at >= :from AND created_at < :to)
                           OR reference = ANY (CAST(:refs AS text[]))""", Tuple.class)
                .setParameter("from", periodStart).setParameter("to", periodEnd).setParameter("refs", payoutRefs)
                .getResultList()
                .chain(payouts -> s.createNativeQuery("""
                                SELECT st.order_id AS reference, st.charged_fen AS amount_fen,
                                       CASE WHEN EXISTS (SELECT 1 FROM payment_instruction ci WHERE ci.kind = 'CHARGE'
                                                         AND ci.order_id = st.order_id AND ci.status = 'FAILED')
                                            THEN 'FAILED' ELSE 'SENT' END AS status
                                FROM settlement st
                                WHERE st.charged_fen > 0
                                  AND ((st.settled_at >= :from AND st.settled_at < :to
                                        AND NOT EXISTS (SELECT 1 FROM channel_receipt r WHERE r.order_id = st.order_id)
                                        AND NOT EXISTS (SELECT 1 FROM doubtful_receivable d WHERE d.order_id = st.order_id))
                                       OR st.order_id = ANY (CAST(:refs AS text[])))""", Tuple.class)
                        .setParameter("from", periodStart).setParameter("to", periodEnd).setParameter("refs", chargeRefs)
                        .getResultList()
                        .chain(charges -> {
                            List<Reconciliation.Expected> expected = new ArrayList<>();
                            payouts.forEach(r -> expected.add(expected(r, ChannelStatement.Type.PAYOUT)));
                            charges.forEach(r -> expected.add(expected(r, ChannelStatement.Type.CHARGE)));
                            Reconciliation.Result result = Reconciliation.reconcile(expected, statement);
                            return applyEffects(s, result, sha.substring(0, 12), now).chain(() -> store(s, sha, from, to, statement, result, now));
                        }));
    }

    /** What the ledger expects on the statement: a row's reference and amount. */
    private static Reconciliation.Expected expected(Tuple row, ChannelStatement.Type type) {
        return new Reconciliation.Expected(row.get("reference", String.class), type, row.get("amount_fen", Number.class).longValue(),
                row.get("status", String.class));
    }

    /**
     * What the statement settles, each at most once: payouts made are confirmed, payouts it failed are
     * owed again, charges collected are received, charges it failed are booked doubtful (the worker's
     * net held). A statement that contradicts a failure the channel answered changes nothing: finance
     * investigates the finding.
     */
    private Uni<Void> applyEffects(Mutiny.Session s, Reconciliation.Result result, String statement, OffsetDateTime now) {
        List<String> made = result.matched().stream().filter(f -> f.type() == ChannelStatement.Type.PAYOUT
                && ChannelStatement.Status.SUCCESS.name().equals(f.statementStatus())).map(Reconciliation.Finding::reference).toList();
        List<Reconciliation.Finding> failedNow = result.statusMismatches().stream()
                .filter(f -> ChannelStatement.Status.FAILED.name().equals(f.statementStatus())).toList();
        List<String> failedPayouts = failedNow.stream().filter(f -> f.type() == ChannelStatement.Type.PAYOUT)
                .map(Reconciliation.Finding::reference).toList();
        List<DoubtfulReceivables.FailedCharge> failedCharges = failedNow.stream().filter(f -> f.type() == ChannelStatement.Type.CHARGE)
                .map(f -> new DoubtfulReceivables.FailedCharge(f.reference(), "failed on the channel's statement (" + f.channelTxnId() + ")"))
                .toList();
        return receiveCharges(s, result.matched().stream().filter(f -> f.type() == ChannelStatement.Type.CHARGE
                        && ChannelStatement.Status.SUCCESS.name().equals(f.statementStatus())).toList(), statement, now)
                .chain(() -> payouts.confirmed(made, statement, now))
                .chain(() -> payouts.failed(failedPayouts, failedPayouts.stream().map(r -> "failed on the channel's statement").toList(), now))
                .chain(() -> doubtful.chargesFailed(failedCharges, now));
    }

    /**
     * The charges the channel collected, each received once: one INSERT records the receipts not
     * recorded before (order, channel transaction, amount), and one CHARGE_RECEIVED transaction posts
     * their total: the statement is one deposit for the bank, and a city's day holds hundreds of
     * thousands of charges.
     */
    private Uni<Void> receiveCharges(Mutiny.Session s, List<Reconciliation.Finding> charges, String statement, OffsetDateTime now) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery("""
                        INSERT INTO channel_receipt (order_id, channel_txn_id, amount_fen, received_at)
                        SELECT r.order_id, r.txn, r.amount, :now
                        FROM unnest(CAST(:orders AS text[]), CAST(:txns AS text[]), CAST(:amounts AS bigint[])) AS r(order_id, txn, amount)
                        ORDER BY r.order_id
                        ON CONFLICT (order_id) DO NOTHING RETURNING amount_fen""", Long.class)
                .setParameter("orders", charges.stream().map(Reconciliation.Finding::reference).toArray(String[]::new))
                .setParameter("txns", charges.stream().map(Reconciliation.Finding::channelTxnId).toArray(String[]::new))
                .setParameter("amounts", charges.stream().map(Reconciliation.Finding::statementAmountFen).toArray(Long[]::new))
                .setParameter("now", now)
                .getResultList()
                .chain(received -> received.isEmpty() ? Uni.createFrom().voidItem()
                        : ledger.post(Postings.chargesReceived(statement, received.size(),
                                Money.fen(received.stream().mapToLong(Long::longValue).sum())), now).replaceWithVoid());
    }

    private Uni<Report> store(Mutiny.Session s, String sha, LocalDate from, LocalDate to, ChannelStatement statement,
                              Reconciliation.Result r, OffsetDateTime now) {
        // the matched lines are the statement itself: the report keeps the first MATCHED_SHOWN, totals count them all
        List<Reconciliation.Finding> matched = r.matched().size() > MATCHED_SHOWN ? r.matched().subList(0, MATCHED_SHOWN) : r.matched();
        Report report = new Report(UUID.randomUUID(), now, from, to, matched, r.missingInStatement(), r.unknownInLedger(),
                r.amountMismatches(), r.statusMismatches(),
                java.util.stream.Stream.concat(r.matched().stream(), r.statusMismatches().stream())
                        .filter(f -> f.type() == ChannelStatement.Type.CHARGE
                                && ChannelStatement.Status.FAILED.name().equals(f.statementStatus())).toList(),
                new Totals(statement.lines().size(), r.matched().size(),
                r.matched().stream().mapToLong(Reconciliation.Finding::ledgerAmountFen).sum(),
                r.missingInStatement().size() + r.unknownInLedger().size() + r.amountMismatches().size() + r.statusMismatches().size()));
        String body;
        try {
            body = json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return s.createNativeQuery("""
                        INSERT INTO reconciliation (id, statement_sha256, created_at, report) VALUES (:id, :sha, :now, :report)""")
                .setParameter("id", report.id()).setParameter("sha", sha).setParameter("now", now).setParameter("report", body)
                .executeUpdate().invoke(() -> findings.increment(report.totals().findings())).replaceWith(report);
    }

    public Uni<Report> byId(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("SELECT report FROM reconciliation WHERE id = :id", String.class)
                .setParameter("id", id).getResultList()).map(rows -> rows.isEmpty() ? null : read(rows.get(0)));
    }

    private Report read(String body) {
        try {
            return json.readValue(body, Report.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reconciliation report cannot be read", e);
        }
    }

    /** The findings as CSV, one row each. */
    public static String csv(Report r) {
        StringBuilder out = new StringBuilder("finding,reference,type,ledgerAmountFen,statementAmountFen,ledgerStatus,statementStatus,channelTxnId\n");
        appendRows(out, "MATCHED", r.matched());
        appendRows(out, "MISSING_IN_STATEMENT", r.missingInStatement());
        appendRows(out, "UNKNOWN_IN_LEDGER", r.unknownInLedger());
        appendRows(out, "AMOUNT_MISMATCH", r.amountMismatches());
        appendRows(out, "STATUS_MISMATCH", r.statusMismatches());
        return out.toString();
    }

    private static void appendRows(StringBuilder out, String finding, List<Reconciliation.Finding> findings) {
        for (Reconciliation.Finding f : findings) {
            // reference and channel transaction come from the channel's file: never a formula in a spreadsheet
            out.append(finding).append(',').append(Csv.cell(f.reference())).append(',').append(f.type()).append(',')
                    .append(f.ledgerAmountFen() == null ? "" : f.ledgerAmountFen()).append(',')
                    .append(f.statementAmountFen() == null ? "" : f.statementAmountFen()).append(',')
                    .append(f.ledgerStatus() == null ? "" : f.ledgerStatus()).append(',')
                    .append(f.statementStatus() == null ? "" : f.statementStatus()).append(',')
                    .append(Csv.cell(f.channelTxnId())).append('\n');
        }
    }

    private static LocalDate day(OffsetDateTime t) {
        return t.atZoneSameInstant(ClockProducer.BUSINESS_ZONE).toLocalDate();
    }
}
