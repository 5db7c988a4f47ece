package cn.jiujinbang.order.repository;

import cn.jiujinbang.order.Order;
import cn.jiujinbang.order.OrderTransition;
import cn.jiujinbang.order.domain.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OrderRepository implements PanacheRepositoryBase<Order, UUID> {

    private final MeterRegistry metrics;

    public OrderRepository(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** The order, locked until the transaction ends, so concurrent transitions queue up. */
    public Uni<Order> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The orders among these ids, locked and returned in id order (so two batches never deadlock). */
    public Uni<List<Order>> findAllForUpdate(List<UUID> ids) {
        return find("id in ?1 order by id", ids).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    public Uni<List<OrderTransition>> history(UUID orderId) {
        return Panache.getSession().chain(s -> s
                .createQuery("from OrderTransition where orderId = :id order by id", OrderTransition.class)
                .setParameter("id", orderId)
                .getResultList());
    }

    /** Records a step of an order's life; gig_orders_transitions_total counts them by the status reached. */
    public Uni<Void> record(OrderTransition transition) {
        return Panache.getSession().chain(s -> s.persist(transition))
                .invoke(() -> Counter.builder("gig.orders.transitions")
                        .description("order steps recorded, by the status they reached (a step retried after an outage counts again)")
                        .tag("status", transition.toStatus.name()).register(metrics).increment());
    }

    /**
     * Ids of orders awaiting confirmation since before {@code cutoff}, locked and skipped by any other
     * replica running the same job at the same time.
     */
    public Uni<List<UUID>> lockAwaitingSince(OffsetDateTime cutoff, int limit) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT id FROM gig_order
                        WHERE status = 'AWAITING_CONFIRMATION' AND done_at <= :cutoff
                        ORDER BY done_at LIMIT :limit FOR UPDATE SKIP LOCKED""", UUID.class)
                .setParameter("cutoff", cutoff)
                .setParameter("limit", limit)
                .getResultList());
    }

    /** One page of orders, newest first, ties broken by id so pages never overlap. */
    public Uni<List<Order>> page(OrderFilter filter, int page, int size) {
        return find(filter.where() + " order by createdAt desc, id", filter.parameters()).page(page, size).list();
    }

    public Uni<Long> count(OrderFilter filter) {
        return count(filter.where(), filter.parameters());
    }

    /** How many orders are in each status now (statuses without orders are absent). */
    public Uni<java.util.Map<OrderStatus, Long>> countByStatus() {
        return Panache.getSession().chain(s -> s.createQuery("select new cn.jiujinbang.order.repository.StatusCount(o.status, count(o)) "
                        + "from GigOrder o group by o.status", StatusCount.class).getResultList())
                .map(rows -> {
                    java.util.Map<OrderStatus, Long> counts = new java.util.EnumMap<>(OrderStatus.class);
                    rows.forEach(r -> counts.put(r.status(), r.orders()));
                    return counts;
                });
    }

    /** Which orders a listing shows: any of resident, worker and status may be null (no restriction). */
    public record OrderFilter(String residentId, String workerId, OrderStatus status) {

        String where() {
            StringBuilder where = new StringBuilder("1 = 1");
            if (residentId != null) {
                where.append(" and residentId = :resident");
            }
            if (workerId != null) {
                where.append(" and workerId = :worker");
            }
            if (status != null) {
                where.append(" and status = :status");
            }
            return where.toString();
        }

        Parameters parameters() {
            Parameters params = new Parameters();
            if (residentId != null) {
                params.and("resident", residentId);
            }
            if (workerId != null) {
                params.and("worker", workerId);
            }
            if (status != null) {
                params.and("status", status);
            }
            return params;
        }
    }
}
