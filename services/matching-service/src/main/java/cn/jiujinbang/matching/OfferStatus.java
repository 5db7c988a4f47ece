package cn.jiujinbang.matching;

/** An offer is OFFERED until the worker accepts or declines it, it expires, or it is withdrawn. */
public enum OfferStatus {
    OFFERED, ACCEPTED, DECLINED, EXPIRED, WITHDRAWN
}
