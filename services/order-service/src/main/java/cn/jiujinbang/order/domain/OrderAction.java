package cn.jiujinbang.order.domain;

/** What can happen to an order, by whom. */
public enum OrderAction {
    /** matching: a worker accepted first */
    ASSIGN,
    /** matching: no worker accepted in any round */
    UNMATCH,
    /** the assigned worker */
    START,
    /** the assigned worker */
    FINISH,
    /** the resident */
    CONFIRM,
    /** the confirmation delay ran out */
    AUTO_CONFIRM,
    /** the resident disputes the work while it awaits confirmation: completed, the worker's pay held */
    DISPUTE,
    /** settlement booked the money */
    SETTLE,
    /** the resident, before the work started */
    CANCEL,
    /** settlement: the payment channel refused to hold the resident's money, before the work started */
    PAYMENT_REFUSED
}
