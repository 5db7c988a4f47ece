package cn.jiujinbang.settlement.repository;

import cn.jiujinbang.settlement.domain.JournalTransaction;
import io.quarkus.hibernate.reactive.panache.Panache;
import cn.jiujinbang.platform.persistence.NativeValues;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
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
        UUID id = UUID.randomUUID();
        return Panache.getSession().chain(s -> {
            Uni<Integer> done = s.createNativeQuery("""
                            INSERT INTO journal_transaction (id, kind, order_id, description, created_at)
                            VALUES (:id, :kind, :order, :description, :at)""")
                    .setParameter("id", id).setParameter("kind", tx.kind()).setParameter("order", tx.orderId())
                    .setParameter("description", tx.description()).setParameter("at", at).executeUpdate();
            for (JournalTransaction.Line line : tx.lines()) {
                done = done.chain(() -> s.createNativeQuery("""
                                        INSERT INTO account (code, name) VALUES (:code, :name) ON CONFLICT (code) DO NOTHING""")
                                .setParameter("code", line.accountCode())
                                .setParameter("name", "Payable to worker " + line.accountCode().substring(line.accountCode().indexOf(':') + 1))
                                .executeUpdate())
                        .chain(() -> s.createNativeQuery("""
                                        INSERT INTO journal_line (transaction_id, account_code, amount_fen)
                                        VALUES (:tx, :account, :amount)""")
                                .setParameter("tx", id).setParameter("account", line.accountCode())
                                .setParameter("amount", line.amount().fen()).executeUpdate());
            }
            return done;
        }).replaceWith(id);
    }

    public Uni<List<AccountBalance>> accounts() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT code, name, balance_fen FROM account ORDER BY code", Object[].class).getResultList())
                .map(rows -> rows.stream().map(r -> new AccountBalance((String) r[0], (String) r[1],
                        ((Number) r[2]).longValue())).toList());
    }

    /** Accounts whose stored balance differs from the sum of their journal lines (none, normally). */
    public Uni<List<AccountBalance>> balancesThatDisagreeWithTheJournal() {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT a.code, a.name, a.balance_fen - coalesce(j.total, 0)
                        FROM account a LEFT JOIN (SELECT account_code, sum(amount_fen) AS total FROM journal_line
                                                  GROUP BY account_code) j ON j.account_code = a.code
                        WHERE a.balance_fen <> coalesce(j.total, 0) ORDER BY a.code""", Object[].class).getResultList())
                .map(rows -> rows.stream().map(r -> new AccountBalance((String) r[0], (String) r[1],
                        ((Number) r[2]).longValue())).toList());
    }

    public Uni<List<TransactionView>> transactions(String orderId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT t.id, t.seq, t.kind, t.order_id, t.description, t.created_at, l.account_code, l.amount_fen
                        FROM journal_transaction t JOIN journal_line l ON l.transaction_id = t.id
                        WHERE (CAST(:order AS text) IS NULL OR t.order_id = :order)
                        ORDER BY t.seq, l.id LIMIT 5000""", Object[].class)
                .setParameter("order", orderId).getResultList()).map(rows -> {
            java.util.LinkedHashMap<UUID, TransactionView> byId = new java.util.LinkedHashMap<>();
            for (Object[] r : rows) {
                TransactionView t = byId.computeIfAbsent((UUID) r[0], id -> new TransactionView(id,
                        ((Number) r[1]).longValue(), (String) r[2], (String) r[3], (String) r[4],
                        NativeValues.offsetDateTime(r[5]), new java.util.ArrayList<>()));
                t.lines().add(new LineView((String) r[6], ((Number) r[7]).longValue()));
            }
            return List.copyOf(byId.values());
        });
    }
}
