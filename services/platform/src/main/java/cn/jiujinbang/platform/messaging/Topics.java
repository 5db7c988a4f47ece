package cn.jiujinbang.platform.messaging;

/** The event topics (deploy/kafka/topics.txt creates them); each is keyed by order id (a worker's own events on gig.matching by worker id). */
public final class Topics {

    public static final String ORDERS = "gig.orders";
    public static final String MATCHING = "gig.matching";
    public static final String SETTLEMENT = "gig.settlement";

    private Topics() {
    }
}
