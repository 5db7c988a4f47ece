package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.worker.verified.v1} (topic gig.matching, keyed by worker id): the worker's real name
 * and ID number were checked by the identity verifier. Carries no identity data: the masked and
 * sealed identity stays in matching-service.
 */
public record WorkerVerified(String workerId, OffsetDateTime verifiedAt) {
    public WorkerVerified {
        EventFields.required(workerId, "workerId");
        EventFields.required(verifiedAt, "verifiedAt");
    }
}
