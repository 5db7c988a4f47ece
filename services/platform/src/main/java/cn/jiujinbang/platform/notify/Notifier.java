package cn.jiujinbang.platform.notify;

/**
 * The port every notification leaves through, called after the change it tells about committed and
 * never inside a transaction. Adapters: {@link LogNotifier} (the default: a log line per channel);
 * an SMS gateway and an app push service (APNs / vendor push) are {@code @Alternative} implementations
 * (docs/operations.md, "Notifications"). Throwing means "not delivered now": it is tried again.
 */
public interface Notifier {

    /** One notification to one person on one channel. */
    record Message(long id, String personId, NotificationKind kind, String subject, String text) {
    }

    void send(Message message, NotificationKind.Channel channel);
}
