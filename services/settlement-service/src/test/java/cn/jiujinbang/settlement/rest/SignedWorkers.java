package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;

import java.sql.SQLException;

/**
 * The fixture "this worker has signed the labor-service agreement", written as settlement's consumer
 * of gig.worker.agreement-signed.v1 writes it, for tests about paying workers rather than about the
 * agreement (WorkerStandingTests drives the event itself).
 */
final class SignedWorkers {

    private SignedWorkers() {
    }

    static void sign(String workerId) {
        try {
            DbProbe.execute("INSERT INTO settlement.worker_standing (worker_id, agreement_version, agreement_signed_at, updated_at) "
                    + "VALUES ('" + workerId.replace("'", "''") + "', 'fixture', now(), now()) ON CONFLICT DO NOTHING");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
