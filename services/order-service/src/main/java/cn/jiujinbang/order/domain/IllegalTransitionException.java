package cn.jiujinbang.order.domain;

/** An action the order's current state does not allow (answered with 409). */
public class IllegalTransitionException extends RuntimeException {

    private final OrderStatus from;
    private final OrderAction action;

    public IllegalTransitionException(OrderStatus from, OrderAction action) {
        super("an order that is " + from + " cannot " + action.name().toLowerCase().replace('_', '-'));
        this.from = from;
        this.action = action;
    }

    public OrderStatus from() {
        return from;
    }

    public OrderAction action() {
        return action;
    }
}
