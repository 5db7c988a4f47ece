package cn.jiujinbang.order.domain;

/** Where an order stands; order-service owns it (docs/architecture.md draws the lifecycle). */
public enum OrderStatus {
    POSTED, ASSIGNED, IN_PROGRESS, AWAITING_CONFIRMATION, COMPLETED, SETTLED, UNMATCHED, CANCELLED,
    /** The payment channel refused to hold the resident's money (or to renew the hold): never offered or worked. */
    PAYMENT_FAILED;

    /** No transition leaves a final state. */
    public boolean isFinal() {
        return this == SETTLED || this == UNMATCHED || this == CANCELLED || this == PAYMENT_FAILED;
    }
}
