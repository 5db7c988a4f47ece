package cn.jiujinbang.platform.notify;

import java.util.Set;

/**
 * What a person is told about, and where each kind is decided: OFFER (matching: a new offer to a
 * worker), ASSIGNMENT, START, COMPLETION, DISPUTE (order-service: to the resident or the worker),
 * PAYOUT (settlement: the worker's pay sent). Unless a person says otherwise a kind goes to the app
 * (APP_PUSH); SMS is opt-in.
 */
public enum NotificationKind {
    OFFER, ASSIGNMENT, START, COMPLETION, DISPUTE, PAYOUT;

    /** The channels a notification can go to; the adapters behind them are named in docs/operations.md. */
    public enum Channel { APP_PUSH, SMS }

    public static final Set<Channel> DEFAULT_CHANNELS = Set.of(Channel.APP_PUSH);
}
