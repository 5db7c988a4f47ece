package cn.jiujinbang.settlement.repository;

import cn.jiujinbang.platform.persistence.NativeValues;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Workers' income and tax withheld as the journal holds it: per settlement or compensation, the
 * worker's net is the credit to their payable and the tax the credit to tax payable, in that
 * transaction; gross = net + tax. The settlement table only says which transactions are whose.
 * Statements, the withholding return and the yearly tax statement read this, never a side table.
 */
@ApplicationScoped
public class WorkerIncome {

    /** One income transaction of a worker. */
    public record Entry(String workerId, String orderId, String kind, int taxMonth, OffsetDateTime earnedAt, long grossFen,
                        long taxFen, long netFen) {
    }

    /** One worker's income and tax in one tax month. */
    public record Month(String workerId, int month, long grossFen, long taxFen) {
    }

    private static final String AMOUNTS = """
            coalesce((SELECT -sum(l.amount_fen) FROM journal_line l
                      WHERE l.transaction_id = t.id AND l.account_code = '2100:' || s.worker_id), 0) AS net,
            coalesce((SELECT -sum(l.amount_fen) FROM journal_line l
                      WHERE l.transaction_id = t.id AND l.account_code = '2200'), 0) AS tax""";

    /** A worker's income transactions of {@code year} up to and including tax month {@code throughMonth}, in journal order. */
    public Uni<List<Entry>> ofWorker(String workerId, int year, int throughMonth) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT s.worker_id, s.order_id, t.kind, t.tax_month, s.earned_at,""" + AMOUNTS + """

                        FROM settlement s JOIN journal_transaction t ON t.id = s.journal_transaction_id
                        WHERE s.worker_id = :worker AND s.tax_year = :year AND s.tax_month <= :month
                          AND t.tax_year = :year AND t.tax_month <= :month
                        ORDER BY t.seq""", Tuple.class)
                .setParameter("worker", workerId).setParameter("year", year).setParameter("month", throughMonth)
                .getResultList())
                .map(rows -> rows.stream().map(r -> {
                    long net = r.get("net", Number.class).longValue();
                    long tax = r.get("tax", Number.class).longValue();
                    return new Entry(r.get("worker_id", String.class), r.get("order_id", String.class), r.get("kind", String.class),
                            r.get("tax_month", Number.class).intValue(), NativeValues.offsetDateTime(r.get("earned_at")),
                            net + tax, tax, net);
                }).toList());
    }

    /**
     * Per worker who earned in tax month {@code month} of {@code year}: their income and tax by tax
     * month of that year up to it, in worker order.
     */
    public Uni<List<Month>> monthsOfWorkersEarningIn(int year, int month) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT x.worker_id, x.tax_month, sum(x.net) + sum(x.tax) AS gross, sum(x.tax) AS tax
                        FROM (SELECT s.worker_id, t.tax_month,""" + AMOUNTS + """

                              FROM settlement s JOIN journal_transaction t ON t.id = s.journal_transaction_id
                              WHERE s.tax_year = :year AND s.tax_month <= :month AND t.tax_year = :year AND t.tax_month <= :month
                                AND s.worker_id IN (SELECT e.worker_id FROM settlement e
                                                    WHERE e.tax_year = :year AND e.tax_month = :month)) x
                        GROUP BY x.worker_id, x.tax_month ORDER BY x.worker_id, x.tax_month""", Tuple.class)
                .setParameter("year", year).setParameter("month", month).getResultList())
                .map(rows -> rows.stream().map(r -> new Month(r.get("worker_id", String.class),
                        r.get("tax_month", Number.class).intValue(), r.get("gross", Number.class).longValue(),
                        r.get("tax", Number.class).longValue())).toList());
    }
}
