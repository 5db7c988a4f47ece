package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Collected orders of 100 yuan settled on one day, written straight into the tables (settlement,
 * balanced journal transaction, answered charge) for the scale tests: hundreds of thousands in
 * seconds. The rows are those the service itself writes; worker and order ids are SQL expressions
 * of {@code n} (1 … count).
 */
final class SeededOrders {

    /** Reads the seed (temporary table {@code seed(worker, order_id, tx, at, n)}) before it is dropped. */
    interface Reader {
        void read(Statement st) throws SQLException;
    }

    private SeededOrders() {
    }

    /**
     * Seeds {@code count} orders; {@code taxedWhole}: the tax takes the whole fee (nothing owed to the
     * workers, so no payout batch pays them), otherwise none (each worker owed 100 yuan).
     */
    static void seed(String workerSql, String orderSql, LocalDate day, int count, boolean taxedWhole, Reader reader)
            throws SQLException {
        String credit = taxedWhole ? "'2200'" : "'2100:' || worker";
        long tax = taxedWhole ? 10_000 : 0;
        try (Connection c = DbProbe.superuser(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET search_path = settlement");
            try (PreparedStatement seed = c.prepareStatement("""
                    CREATE TEMP TABLE seed ON COMMIT DROP AS
                    SELECT %s AS worker, %s AS order_id, gen_random_uuid() AS tx,
                           CAST(? AS date) + time '10:00' AT TIME ZONE 'Asia/Shanghai' AS at, n
                    FROM generate_series(1, ?) AS n""".formatted(workerSql, orderSql))) {
                seed.setObject(1, day);
                seed.setInt(2, count);
                seed.execute();
            }
            st.execute("INSERT INTO worker_standing (worker_id, agreement_version, agreement_signed_at, updated_at) "
                    + "SELECT DISTINCT worker, 'fixture', now(), now() FROM seed ON CONFLICT DO NOTHING");
            if (!taxedWhole) {
                st.execute("INSERT INTO account (code, name) SELECT DISTINCT '2100:' || worker, 'Payable to worker ' || worker FROM seed "
                        + "ON CONFLICT DO NOTHING");
            }
            st.execute("INSERT INTO journal_transaction (id, kind, order_id, description, created_at, tax_year, tax_month) "
                    + "SELECT tx, 'SETTLEMENT', order_id, 'settlement of order ' || order_id, at, "
                    + "extract(year FROM at AT TIME ZONE 'Asia/Shanghai'), extract(month FROM at AT TIME ZONE 'Asia/Shanghai') FROM seed");
            st.execute("INSERT INTO journal_line (transaction_id, account_code, amount_fen) "
                    + "SELECT tx, '1100', 10000 FROM seed UNION ALL SELECT tx, " + credit + ", -10000 FROM seed");
            st.execute("""
                    INSERT INTO settlement (order_id, kind, worker_id, resident_id, category_code, gross_fen, service_fee_fen, tax_fen,
                                            net_fen, charged_fen, tax_rule, earned_at, tax_year, tax_month, settled_at,
                                            journal_transaction_id)
                    SELECT order_id, 'ORDER', worker, 'r-1', 'HOME', 10000, 0, %d, %d, 10000, 'per-payment-2018-61', at,
                           extract(year FROM at AT TIME ZONE 'Asia/Shanghai'), extract(month FROM at AT TIME ZONE 'Asia/Shanghai'),
                           at, tx
                    FROM seed""".formatted(tax, 10_000 - tax));
            st.execute("INSERT INTO payment_instruction (reference, kind, order_id, party_id, amount_fen, status, next_attempt_at, "
                    + "created_at, answered_at) SELECT order_id, 'CHARGE', order_id, 'r-1', 10000, 'SUCCEEDED', at, at, at FROM seed");
            if (reader != null) {
                reader.read(st);
            }
            c.commit();
            st.execute("ANALYZE");
        }
    }
}
