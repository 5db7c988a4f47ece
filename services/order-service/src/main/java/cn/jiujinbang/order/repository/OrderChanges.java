package cn.jiujinbang.order.repository;

import cn.jiujinbang.order.Order;
import cn.jiujinbang.order.domain.OrderStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An order's status changes for its push stream, read with the plain SQL client: a stream is fed
 * from a database notification, outside any request, where no Hibernate session belongs.
 */
@ApplicationScoped
public class OrderChanges {

    /** The channel that V3__order_stream.sql notifies with an order id. */
    public static final String CHANNEL = "gig_order_changes";

    /** One step of an order with the order as it was right after it; {@code id} is the step's. */
    public record OrderChange(long id, Order order) {
    }

    /** The changes after {@code after}, and the order's latest step id (0 when it has none). */
    public record ChangesAfter(List<OrderChange> changes, long latest) {
    }

    private static final String COLUMNS = """
            o.id, o.resident_id, o.service_code, o.category_code, o.description, o.lat, o.lon, o.address,
            o.window_start, o.window_end, o.price_fen, o.service_fee_fen, o.status, o.worker_id, o.created_at,
            o.updated_at, o.done_at, o.completed_at, o.start_code, o.offers_from,
            o.auto_confirmed, o.dispute_status, o.dispute_reason, o.disputed_at, o.dispute_outcome, o.dispute_refund_fen,
            o.dispute_resolved_at""";

    private final Pool pool;

    public OrderChanges(Pool pool) {
        this.pool = pool;
    }

    /** The order as it is now, under its latest step's id; null when there is no such order. */
    public Uni<OrderChange> current(UUID orderId) {
        return pool.preparedQuery("SELECT coalesce((SELECT max(t.id) FROM order_transition t WHERE t.order_id = o.id), 0), "
                        + COLUMNS + " FROM gig_order o WHERE o.id = $1")
                .execute(Tuple.of(orderId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new OrderChange(row.getLong(0), order(row));
                });
    }

    /** Every step of the order after step {@code after}, oldest first. */
    public Uni<ChangesAfter> after(UUID orderId, long after) {
        return pool.preparedQuery("SELECT t.id AS step_id, t.to_status AS step_status, t.at AS step_at, " + COLUMNS + """
                         FROM order_transition t JOIN gig_order o ON o.id = t.order_id
                        WHERE t.order_id = $1 AND t.id > $2 ORDER BY t.id""")
                .execute(Tuple.of(orderId, after))
                .map(rows -> {
                    List<OrderChange> changes = new ArrayList<>();
                    for (Row row : rows) {
                        changes.add(new OrderChange(row.getLong(0), order(row)
                                .asAfterStepTo(OrderStatus.valueOf(row.getString(1)), row.getOffsetDateTime(2))));
                    }
                    return new ChangesAfter(changes, changes.isEmpty() ? after : changes.get(changes.size() - 1).id());
                });
    }

    private static Order order(Row row) {
        Order o = new Order();
        o.id = row.getUUID("id");
        o.residentId = row.getString("resident_id");
        o.serviceCode = row.getString("service_code");
        o.categoryCode = row.getString("category_code");
        o.description = row.getString("description");
        o.lat = row.getDouble("lat");
        o.lon = row.getDouble("lon");
        o.address = row.getString("address");
        o.windowStart = row.getOffsetDateTime("window_start");
        o.windowEnd = row.getOffsetDateTime("window_end");
        o.priceFen = row.getLong("price_fen");
        o.serviceFeeFen = row.getLong("service_fee_fen");
        o.status = OrderStatus.valueOf(row.getString("status"));
        o.workerId = row.getString("worker_id");
        o.createdAt = row.getOffsetDateTime("created_at");
        o.updatedAt = row.getOffsetDateTime("updated_at");
        o.doneAt = row.getOffsetDateTime("done_at");
        o.completedAt = row.getOffsetDateTime("completed_at");
        o.startCode = row.getString("start_code");
        o.offersFrom = row.getOffsetDateTime("offers_from");
        o.autoConfirmed = row.getBoolean("auto_confirmed");
        o.disputeStatus = row.getString("dispute_status");
        o.disputeReason = row.getString("dispute_reason");
        o.disputedAt = row.getOffsetDateTime("disputed_at");
        o.disputeOutcome = row.getString("dispute_outcome");
        o.disputeRefundFen = row.getLong("dispute_refund_fen");
        o.disputeResolvedAt = row.getOffsetDateTime("dispute_resolved_at");
        return o;
    }
}
