package cn.jiujinbang.order;

import cn.jiujinbang.order.domain.OrderStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A resident's gig request: its quote (fixed at posting), where and when, and its current state. */
@Entity(name = "GigOrder")
@Table(name = "gig_order")
public class Order {

    @Id
    public UUID id;
    @Column(name = "resident_id")
    public String residentId;
    @Column(name = "service_code")
    public String serviceCode;
    @Column(name = "category_code")
    public String categoryCode;
    public String description;
    public double lat;
    public double lon;
    public String address;
    @Column(name = "window_start")
    public OffsetDateTime windowStart;
    @Column(name = "window_end")
    public OffsetDateTime windowEnd;
    @Column(name = "price_fen")
    public long priceFen;
    @Column(name = "service_fee_fen")
    public long serviceFeeFen;
    @Enumerated(EnumType.STRING)
    public OrderStatus status;
    @Column(name = "worker_id")
    public String workerId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    /** When the first offers go out: at posting, or window start − lead for an order booked ahead. */
    @Column(name = "offers_from")
    public OffsetDateTime offersFrom;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "done_at")
    public OffsetDateTime doneAt;
    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
    /** The code at the door (domain StartCode): set when a worker wins the order, shown to its resident only. */
    @Column(name = "start_code")
    public String startCode;
    @Column(name = "start_wrong")
    public int startWrong;
    @Column(name = "start_locked_until")
    public OffsetDateTime startLockedUntil;
    @Column(name = "auto_confirmed")
    public boolean autoConfirmed;
    /** The resident's dispute (domain DisputeRules): OPEN until finance or an admin resolves it, then RESOLVED. */
    @Column(name = "dispute_status")
    public String disputeStatus;
    @Column(name = "dispute_reason")
    public String disputeReason;
    @Column(name = "disputed_at")
    public OffsetDateTime disputedAt;
    @Column(name = "dispute_outcome")
    public String disputeOutcome;
    @Column(name = "dispute_refund_fen")
    public Long disputeRefundFen;
    @Column(name = "dispute_resolved_at")
    public OffsetDateTime disputeResolvedAt;

    /**
     * The order as it was right after a step to {@code status} at {@code at}, as far as the current
     * row tells: what a step sets (worker, done and completion times) is blank before that step.
     */
    public Order asAfterStepTo(OrderStatus status, OffsetDateTime at) {
        Order o = new Order();
        o.id = id;
        o.residentId = residentId;
        o.serviceCode = serviceCode;
        o.categoryCode = categoryCode;
        o.description = description;
        o.lat = lat;
        o.lon = lon;
        o.address = address;
        o.windowStart = windowStart;
        o.windowEnd = windowEnd;
        o.priceFen = priceFen;
        o.serviceFeeFen = serviceFeeFen;
        o.status = status;
        o.createdAt = createdAt;
        o.offersFrom = offersFrom;
        o.updatedAt = at;
        o.autoConfirmed = autoConfirmed;
        o.disputeStatus = disputeStatus;
        o.disputeReason = disputeReason;
        o.disputedAt = disputedAt;
        o.disputeOutcome = disputeOutcome;
        o.disputeRefundFen = disputeRefundFen;
        o.disputeResolvedAt = disputeResolvedAt;
        boolean wasAssigned = status != OrderStatus.POSTED && status != OrderStatus.UNMATCHED;
        o.workerId = wasAssigned ? workerId : null;
        o.startCode = wasAssigned ? startCode : null;
        o.doneAt = doneAt != null && !doneAt.isAfter(at) ? doneAt : null;
        o.completedAt = completedAt != null && !completedAt.isAfter(at) ? completedAt : null;
        return o;
    }
}
