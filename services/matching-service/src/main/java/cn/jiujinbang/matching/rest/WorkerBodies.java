package cn.jiujinbang.matching.rest;

import cn.jiujinbang.matching.repository.OfferChanges;

import cn.jiujinbang.matching.OfferStatus;
import cn.jiujinbang.matching.Worker;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the worker and offer API. */
public final class WorkerBodies {

    private WorkerBodies() {
    }

    public record RegisterWorker(String name, List<String> serviceCodes, Home home, Double radiusKm) {
    }

    public record Home(Double lat, Double lon) {
    }

    public record Availability(Boolean available) {
    }

    /** Real-name verification: the name and the 18-character ID number as on the card. */
    public record Verify(String name, String idNumber) {
    }

    /** Signing the labor-service agreement: the version read. */
    public record Sign(String version) {
    }

    public record WorkerView(String id, String name, List<String> serviceCodes, Home home, double radiusKm,
                             boolean available, double rating, int activeJobs, OffsetDateTime createdAt,
                             OffsetDateTime updatedAt) {
        public static WorkerView of(Worker w) {
            return new WorkerView(w.id, w.name, List.of(w.serviceCodes), new Home(w.homeLat, w.homeLon),
                    w.radiusMeters / 1000.0, w.available, w.rating, w.activeJobs, w.createdAt, w.updatedAt);
        }
    }

    /** An offer as its worker sees it; the distance is in km (not money), the price in fen. */
    public record OfferView(UUID offerId, UUID orderId, String serviceCode,
                            double distanceKm,
                            long priceFen, OffsetDateTime expiresAt, OfferStatus status, int round) {

        public static OfferView of(OfferChanges.OfferChange c) {
            return new OfferView(c.offerId(), c.orderId(), c.serviceCode(), c.distanceMeters() / 1000.0, c.priceFen(),
                    c.expiresAt(), c.status(), c.round());
        }
    }

    public record Accepted(UUID offerId, UUID orderId, String workerId, String status) {
    }
}
