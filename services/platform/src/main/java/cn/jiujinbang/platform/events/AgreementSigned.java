package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.worker.agreement-signed.v1} (topic gig.matching, keyed by worker id): the worker signed
 * this version of the platform's labor-service agreement; settlement pays out only to workers who
 * signed.
 */
public record AgreementSigned(String workerId, String agreementVersion, OffsetDateTime signedAt) {
    public AgreementSigned {
        EventFields.required(workerId, "workerId");
        EventFields.required(agreementVersion, "agreementVersion");
        EventFields.required(signedAt, "signedAt");
    }
}
