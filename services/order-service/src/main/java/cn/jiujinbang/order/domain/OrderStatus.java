package cn.jiujinbang.order.domain;

/** Where an order stands; order-service owns it (docs/architecture.md draws the lifecycle). */
public enum OrderStatus {
    POSTED, ASSIGNED, IN_PROGRESS, AWAITING_CONFIRMATION, COMPLETED, SETTLED, UNMATCHED, CANCELLED;

    /** No transition leaves a final state. */
    public boolean isFinal() {
        return this == SETTLED || this == UNMATCHED || this == CANCELLED;
    }
}
