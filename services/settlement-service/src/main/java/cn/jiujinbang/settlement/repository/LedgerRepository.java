package cn.jiujinbang.settlement.repository;

import cn.jiujinbang.settlement.domain.Account;
import cn.jiujinbang.settlement.domain.JournalTransaction;
import io.quarkus.hibernate.reactive.panache.Panache;
import cn.jiujinbang.platform.persistence.NativeValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/** Writes journal transactions (append-only) and reads balances back. */
@ApplicationScoped
public class LedgerRepository {

    public record AccountBalance(String code, String name, long balanceFen) {
    }

    public record LineView(String accountCode, long amountFen) {
    }

    public record TransactionView(UUID id, long seq, String kind, String orderId, String description,
                                  OffsetDateTime createdAt, List<LineView> lines) {
    }

    /** Posts a transaction; a worker's payable account is opened on first use. */
    public Uni<UUID> post(JournalTransaction tx, OffsetDateTime at) {
        return postAll(List.of(tx), at).map(ids -> ids.get(0));
    }

    /**
     * Posts transactions in three statements whatever their number: the worker accounts they open,
     * the transactions (their journal order is the list's), and all their lines in one INSERT, which
     * the database checks balances transaction by transaction and adds to the accounts' balance
     * stripes (V4__ledger_without_hot_rows.sql). Returns the transactions' ids in the same order.
     */
    public Uni<List<UUID>> postAll(List<JournalTransaction> txs, OffsetDateTime at) {
        if (txs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = new ArrayList<>(txs.size());
        String[] txIds = new String[txs.size()];
        String[] kinds = new String[txs.size()];
        String[] orders = new String[txs.size()];
        String[] descriptions = new String[txs.size()];
        Integer[] taxYears = new Integer[txs.size()];
        Integer[] taxMonths = new Integer[txs.size()];
        List<String> lineTx = new ArrayList<>();
        List<String> lineAccount = new ArrayList<>();
        List<Long> lineAmount = new ArrayList<>();
        TreeSet<String> workerAccounts = new TreeSet<>();
        for (int i = 0; i < txs.size(); i++) {
            JournalTransaction tx = txs.get(i);
            UUID id = UUID.randomUUID();
            ids.add(id);
            txIds[i] = id.toString();
            kinds[i] = tx.kind().name();
            orders[i] = tx.orderId();
            descriptions[i] = tx.description();
            taxYears[i] = tx.taxPeriod() == null ? null : tx.taxPeriod().getYear();
            taxMonths[i] = tx.taxPeriod() == null ? null : tx.taxPeriod().getMonthValue();
            for (JournalTransaction.Line line : tx.lines()) {
                lineTx.add(txIds[i]);
                lineAccount.add(line.accountCode());
                lineAmount.add(line.amount().fen());
                if (Account.isWorkerPayable(line.accountCode())) {
                    workerAccounts.add(line.accountCode());
                }
            }
        }
        return Panache.getSession().chain(s -> (workerAccounts.isEmpty() ? Uni.createFrom().item(0) : s.createNativeQuery("""
                                INSERT INTO account (code, name)
                                SELECT code, 'Payable to worker ' || substr(code, strpos(code, ':') + 1)
                                FROM unnest(CAST(:codes AS text[])) AS code ORDER BY code
                                ON CONFLICT (code) DO NOTHING""")
                        .setParameter("codes", workerAccounts.toArray(String[]::new)).executeUpdate())
                .chain(() -> s.createNativeQuery("""
                                INSERT INTO journal_transaction (id, kind, order_id, description, created_at, tax_year, tax_month)
                                SELECT CAST(t.id AS uuid), t.kind, t.order_id, t.description, :at, t.tax_year, t.tax_month
                                FROM unnest(CAST(:ids AS text[]), CAST(:kinds AS text[]), CAST(:orders AS text[]),
                                            CAST(:descriptions AS text[]), CAST(:years AS int[]), CAST(:months AS int[]))
                                     WITH ORDINALITY AS t(id, kind, order_id, description, tax_year, tax_month, n)
                                ORDER BY t.n""")
                        .setParameter("ids", txIds).setParameter("kinds", kinds).setParameter("orders", orders)
                        .setParameter("descriptions", descriptions).setParameter("years", taxYears)
                        .setParameter("months", taxMonths).setParameter("at", at).executeUpdate())
                .chain(() -> s.createNativeQuery("""
                                INSERT INTO journal_line (transaction_id, account_code, amount_fen)
                                SELECT CAST(l.tx AS uuid), l.account, l.amount
                                FROM unnest(CAST(:txs AS text[]), CAST(:accounts AS text[]), CAST(:amounts AS bigint[]))
                                     WITH ORDINALITY AS l(tx, account, amount, n)
                                ORDER BY l.n""")
                        .setParameter("txs", lineTx.toArray(String[]::new))
                        .setParameter("accounts", lineAccount.toArray(String[]::new))
                        .setParameter("amounts", lineAmount.toArray(Long[]::new)).executeUpdate()))
                .replaceWith(List.copyOf(ids));
    }

    /** Every account with its balance: the sum of its balance stripes. */
    public Uni<List<AccountBalance>> accounts() {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT a.code AS code, a.name AS name, coalesce(sum(b.balance_fen), 0) AS balance
                        FROM account a LEFT JOIN account_balance b ON b.account_code = a.code
                        GROUP BY a.code, a.name ORDER BY a.code""", Tuple.class).getResultList())
                .map(LedgerRepository::balances);
    }

    /** One page of the accounts in code order (there is one payable account per worker: a city has many). */
    public Uni<List<AccountBalance>> accounts(int page, int size) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT a.code AS code, a.name AS name, coalesce(sum(b.balance_fen), 0) AS balance
                        FROM (SELECT code, name FROM account ORDER BY code OFFSET :offset LIMIT :size) a
                        LEFT JOIN account_balance b ON b.account_code = a.code
                        GROUP BY a.code, a.name ORDER BY a.code""", Tuple.class)
                        .setParameter("offset", (long) page * size).setParameter("size", size).getResultList())
                .map(LedgerRepository::balances);
    }

    /** Accounts whose stored balance differs from the sum of their journal lines (none, normally). */
    public Uni<List<AccountBalance>> balancesThatDisagreeWithTheJournal() {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT a.code AS code, a.name AS name, coalesce(b.total, 0) - coalesce(j.total, 0) AS balance
                        FROM account a
                        LEFT JOIN (SELECT account_code, sum(balance_fen) AS total FROM account_balance
                                   GROUP BY account_code) b ON b.account_code = a.code
                        LEFT JOIN (SELECT account_code, sum(amount_fen) AS total FROM journal_line
                                   GROUP BY account_code) j ON j.account_code = a.code
                        WHERE coalesce(b.total, 0) <> coalesce(j.total, 0) ORDER BY a.code""", Tuple.class).getResultList())
                .map(LedgerRepository::balances);
    }

    private static List<AccountBalance> balances(List<Tuple> rows) {
        return rows.stream().map(r -> new AccountBalance(r.get("code", String.class), r.get("name", String.class),
                r.get("balance", Number.class).longValue())).toList();
    }

    public Uni<List<TransactionView>> transactions(String orderId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT t.id, t.seq, t.kind, t.order_id, t.description, t.created_at, l.account_code, l.amount_fen
                        FROM journal_transaction t JOIN journal_line l ON l.transaction_id = t.id
                        WHERE (CAST(:order AS text) IS NULL OR t.order_id = :order)
                        ORDER BY t.seq, l.id LIMIT 5000""", Tuple.class)
                .setParameter("order", orderId).getResultList()).map(rows -> {
            java.util.LinkedHashMap<UUID, TransactionView> byId = new java.util.LinkedHashMap<>();
            for (Tuple r : rows) {
                TransactionView t = byId.computeIfAbsent(r.get("id", UUID.class), id -> new TransactionView(id,
                        r.get("seq", Number.class).longValue(), r.get("kind", String.class), r.get("order_id", String.class),
                        r.get("description", String.class), NativeValues.offsetDateTime(r.get("created_at")), new ArrayList<>()));
                t.lines().add(new LineView(r.get("account_code", String.class), r.get("amount_fen", Number.class).longValue()));
            }
            return List.copyOf(byId.values());
        });
    }
}
