package cn.jiujinbang.matching.domain;

import cn.jiujinbang.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;

/** What a worker's registration must satisfy (bounds in docs/matching.md). */
public final class WorkerRules {

    public static final double MIN_RADIUS_KM = 0.5;
    public static final double MAX_RADIUS_KM = 30;
    public static final int MAX_NAME = 50;
    public static final int MAX_SKILLS = 56;

    private WorkerRules() {
    }

    public record Violation(String field, String message) {
    }

    public static List<Violation> check(String name, List<String> serviceCodes, Double lat, Double lon, Double radiusKm) {
        List<Violation> violations = new ArrayList<>();
        if (name == null || name.isBlank()) {
            violations.add(new Violation("name", "must not be empty"));
        } else if (name.length() > MAX_NAME) {
            violations.add(new Violation("name", "must be at most " + MAX_NAME + " characters"));
        }
        if (serviceCodes == null || serviceCodes.isEmpty()) {
            violations.add(new Violation("serviceCodes", "name at least one service"));
        } else if (serviceCodes.size() > MAX_SKILLS) {
            violations.add(new Violation("serviceCodes", "at most " + MAX_SKILLS + " services"));
        } else {
            for (int i = 0; i < serviceCodes.size(); i++) {
                if (Catalog.standard().service(serviceCodes.get(i)).isEmpty()) {
                    violations.add(new Violation("serviceCodes[" + i + "]", "unknown service code " + serviceCodes.get(i)));
                }
            }
        }
        if (lat == null || lat.isNaN() || lat < -90 || lat > 90) {
            violations.add(new Violation("home.lat", "must be a latitude between -90 and 90"));
        }
        if (lon == null || lon.isNaN() || lon < -180 || lon > 180) {
            violations.add(new Violation("home.lon", "must be a longitude between -180 and 180"));
        }
        if (radiusKm == null || radiusKm.isNaN() || radiusKm < MIN_RADIUS_KM || radiusKm > MAX_RADIUS_KM) {
            violations.add(new Violation("radiusKm", "must be between " + MIN_RADIUS_KM + " and " + MAX_RADIUS_KM + " km"));
        }
        return violations;
    }
}
