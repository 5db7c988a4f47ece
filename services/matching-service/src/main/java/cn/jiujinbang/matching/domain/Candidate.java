package cn.jiujinbang.matching.domain;

/** A worker who could take an order, as the nearby search found them. */
public record Candidate(String workerId, double distanceMeters, double rating, int activeJobs) {
}
