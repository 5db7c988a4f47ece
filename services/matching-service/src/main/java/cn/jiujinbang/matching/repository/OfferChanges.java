package cn.jiujinbang.matching.repository;

import cn.jiujinbang.matching.OfferStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A worker's offers as their push stream reads them (plain SQL client: a stream is fed from a
 * database notification, outside any request). Each new offer and each status change has a change
 * number (V3__offer_stream.sql), the stream's event id.
 */
@ApplicationScoped
public class OfferChanges {

    /** The channel that V3__offer_stream.sql notifies with a worker id. */
    public static final String CHANNEL = "gig_offer_changes";
    /**
     * How far back a read looks again for changes numbered before one already sent but committed
     * after it; far longer than an offer transaction runs.
     */
    private static final String REREAD = "10 seconds";

    /** One offer as it is after its change number {@code changeNumber}. */
    public record OfferChange(long changeNumber, UUID offerId, UUID orderId, String serviceCode, int distanceMeters,
                              long priceFen, OffsetDateTime expiresAt, OfferStatus status, int round) {
    }

    /** What a read found, and the highest change number of the worker's offers so far. */
    public record ChangesAfter(List<OfferChange> changes, long latest) {
    }

    /**
     * The order's service and price are looked up per offer row (a handful per read) rather than
     * joined: a join let the planner hash the whole match_request table on every read, a cost that
     * grew with every order ever matched.
     */
    private static final String SELECT = """
            SELECT o.change_seq, o.id, o.order_id, o.distance_m, o.expires_at, o.status, o.round,
                   (SELECT r.service_code FROM match_request r WHERE r.order_id = o.order_id) AS service_code,
                   (SELECT r.price_fen FROM match_request r WHERE r.order_id = o.order_id) AS price_fen,
                   max(o.change_seq) OVER () AS latest
            FROM offer o
            """;

    private final Pool pool;

    public OfferChanges(Pool pool) {
        this.pool = pool;
    }

    /** The worker's open offers now: where a new stream starts. */
    public Uni<ChangesAfter> open(String workerId) {
        return pool.preparedQuery("""
                        SELECT c.*, (SELECT coalesce(max(change_seq), 0) FROM offer WHERE worker_id = $1) AS position
                        FROM (%s WHERE o.worker_id = $1 AND o.status = 'OFFERED') c ORDER BY c.change_seq""".formatted(SELECT))
                .execute(Tuple.of(workerId))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(read(rows, 0, "position"))
                        : pool.preparedQuery("SELECT coalesce(max(change_seq), 0) FROM offer WHERE worker_id = $1")
                        .execute(Tuple.of(workerId)).map(r -> new ChangesAfter(List.of(), r.iterator().next().getLong(0))));
    }

    /** The worker's offers changed after {@code after}, and those of the last seconds again. */
    public Uni<ChangesAfter> after(String workerId, long after) {
        return pool.preparedQuery(SELECT + """
                        WHERE o.worker_id = $1 AND (o.change_seq > $2 OR o.changed_at > clock_timestamp() - interval '%s')
                        ORDER BY o.change_seq""".formatted(REREAD))
                .execute(Tuple.of(workerId, after))
                .map(rows -> read(rows, after, "latest"));
    }

    private static ChangesAfter read(io.vertx.mutiny.sqlclient.RowSet<Row> rows, long after, String positionColumn) {
        List<OfferChange> changes = new ArrayList<>();
        long latest = after;
        for (Row row : rows) {
            changes.add(new OfferChange(row.getLong("change_seq"), row.getUUID("id"), row.getUUID("order_id"),
                    row.getString("service_code"), row.getInteger("distance_m"), row.getLong("price_fen"),
                    row.getOffsetDateTime("expires_at"), OfferStatus.valueOf(row.getString("status")),
                    row.getInteger("round")));
            latest = Math.max(latest, row.getLong(positionColumn));
        }
        return new ChangesAfter(changes, latest);
    }
}
