package cn.jiujinbang.matching.domain;

import java.util.Set;

/** What eligibility looks at in a worker. */
public record WorkerSnapshot(String workerId, Set<String> serviceCodes, GeoPoint home, int radiusMeters,
                             boolean available, double rating, int activeJobs) {
}
