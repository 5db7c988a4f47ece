package cn.jiujinbang.settlement;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The money of one order as settled: exactly one per order (the order id is the key). Written once
 * with its journal transaction; never changed.
 */
@Entity
@Table(name = "settlement")
public class Settlement {

    /** A completed order, or the compensation of an order cancelled after assignment. */
    public enum Kind { ORDER, COMPENSATION }

    @Id
    @Column(name = "order_id")
    public String orderId;
    @Column(name = "seq", insertable = false, updatable = false)
    public Long seq;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Kind kind;
    @Column(name = "worker_id")
    public String workerId;
    @Column(name = "resident_id")
    public String residentId;
    @Column(name = "category_code")
    public String categoryCode;
    @Column(name = "gross_fen")
    public long grossFen;
    @Column(name = "service_fee_fen")
    public long serviceFeeFen;
    @Column(name = "tax_fen")
    public long taxFen;
    @Column(name = "net_fen")
    public long netFen;
    @Column(name = "charged_fen")
    public long chargedFen;
    @Column(name = "tax_rule")
    public String taxRule;
    @Column(name = "earned_at")
    public OffsetDateTime earnedAt;
    @Column(name = "tax_year")
    public int taxYear;
    @Column(name = "tax_month")
    public int taxMonth;
    @Column(name = "settled_at")
    public OffsetDateTime settledAt;
    @Column(name = "journal_transaction_id")
    public UUID journalTransactionId;
}
