package cn.jiujinbang.matching.domain;

/** A point on the earth in WGS-84 degrees. */
public record GeoPoint(double lat, double lon) {

    /** The sphere PostgreSQL's earthdistance uses, so Java and SQL agree on every distance. */
    public static final double EARTH_RADIUS_METERS = 6_378_168;

    public GeoPoint {
        if (Double.isNaN(lat) || lat < -90 || lat > 90 || Double.isNaN(lon) || lon < -180 || lon > 180) {
            throw new IllegalArgumentException("not a point on earth: " + lat + ", " + lon);
        }
    }

    /** Great-circle distance in meters (haversine). */
    public double metersTo(GeoPoint other) {
        double dLat = Math.toRadians(other.lat - lat);
        double dLon = Math.toRadians(other.lon - lon);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat)) * Math.cos(Math.toRadians(other.lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
