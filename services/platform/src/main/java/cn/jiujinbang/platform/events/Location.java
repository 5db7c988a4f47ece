package cn.jiujinbang.platform.events;

/** A point where a gig happens (WGS-84 degrees) and its street address. */
public record Location(double lat, double lon, String address) {
    public Location {
        EventFields.within(lat, -90, 90, "lat");
        EventFields.within(lon, -180, 180, "lon");
    }
}
