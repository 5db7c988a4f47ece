package cn.jiujinbang.platform.events;

/** A point where a gig happens (WGS-84 degrees) and its street address. */
public record Location(double lat, double lon, String address) {
}
