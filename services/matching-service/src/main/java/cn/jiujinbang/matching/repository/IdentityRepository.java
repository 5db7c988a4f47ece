package cn.jiujinbang.matching.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/** Workers' verification and signed agreements (tables of V7); callers hold the session or transaction. */
@ApplicationScoped
public class IdentityRepository {

    /** A worker's verification as kept: masked identity, status, when. */
    public record Verification(String status, String nameMasked, String idNumberMasked, String refusal, int attempts,
                               OffsetDateTime checkedAt, OffsetDateTime verifiedAt) {
    }

    /** A signed version of the agreement. */
    public record Signature(String version, OffsetDateTime signedAt) {
    }

    public Uni<Verification> verification(String workerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT status, name_masked, id_number_masked, refusal, attempts, checked_at, verified_at
                        FROM worker_verification WHERE worker_id = :id""", Tuple.class)
                .setParameter("id", workerId).getResultList()).map(rows -> rows.isEmpty() ? null : new Verification(
                rows.get(0).get("status", String.class), rows.get(0).get("name_masked", String.class),
                rows.get(0).get("id_number_masked", String.class), rows.get(0).get("refusal", String.class),
                rows.get(0).get("attempts", Number.class).intValue(), rows.get(0).get("checked_at", OffsetDateTime.class),
                rows.get(0).get("verified_at", OffsetDateTime.class)));
    }

    /** Whether the worker's identity was verified (the condition for accepting offers). */
    public Uni<Boolean> isVerified(String workerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT count(*) FROM worker_verification WHERE worker_id = :id AND status = 'VERIFIED'", Long.class)
                .setParameter("id", workerId).getSingleResult()).map(n -> n > 0);
    }

    /**
     * Records a check's outcome; a verified worker's row is never overwritten (returns false then).
     */
    public Uni<Boolean> record(String workerId, boolean verified, String nameMasked, String idNumberMasked, byte[] sealed,
                               String keyId, String refusal, OffsetDateTime now) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO worker_verification (worker_id, status, name_masked, id_number_masked, identity_sealed,
                                                         sealing_key_id, refusal, checked_at, verified_at)
                        VALUES (:id, :status, :name, :number, :sealed, :key, :refusal, :now, :verifiedAt)
                        ON CONFLICT (worker_id) DO UPDATE SET status = excluded.status, name_masked = excluded.name_masked,
                            id_number_masked = excluded.id_number_masked, identity_sealed = excluded.identity_sealed,
                            sealing_key_id = excluded.sealing_key_id, refusal = excluded.refusal,
                            attempts = worker_verification.attempts + 1, checked_at = excluded.checked_at,
                            verified_at = excluded.verified_at
                        WHERE worker_verification.status <> 'VERIFIED'""")
                .setParameter("id", workerId).setParameter("status", verified ? "VERIFIED" : "REFUSED")
                .setParameter("name", nameMasked).setParameter("number", idNumberMasked).setParameter("sealed", sealed)
                .setParameter("key", keyId).setParameter("refusal", refusal).setParameter("now", now)
                .setParameter("verifiedAt", verified ? now : null)
                .executeUpdate()).map(n -> n == 1);
    }

    /** Records the signature; false when this version was signed before (nothing changes then). */
    public Uni<Boolean> sign(String workerId, String version, OffsetDateTime now) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO worker_agreement (worker_id, version, signed_at) VALUES (:id, :version, :now)
                        ON CONFLICT DO NOTHING""")
                .setParameter("id", workerId).setParameter("version", version).setParameter("now", now)
                .executeUpdate()).map(n -> n == 1);
    }

    public Uni<List<Signature>> signatures(String workerId) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT version, signed_at FROM worker_agreement WHERE worker_id = :id ORDER BY signed_at", Tuple.class)
                .setParameter("id", workerId).getResultList())
                .map(rows -> rows.stream().map(r -> new Signature(r.get("version", String.class),
                        r.get("signed_at", OffsetDateTime.class))).toList());
    }
}
