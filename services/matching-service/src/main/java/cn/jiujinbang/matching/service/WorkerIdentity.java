package cn.jiujinbang.matching.service;

import cn.jiujinbang.matching.domain.IdentityNumber;
import cn.jiujinbang.matching.identity.IdentitySeal;
import cn.jiujinbang.matching.identity.IdentityVerifier;
import cn.jiujinbang.matching.repository.IdentityRepository;
import cn.jiujinbang.platform.events.AgreementSigned;
import cn.jiujinbang.platform.events.WorkerVerified;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Outbox;
import cn.jiujinbang.platform.messaging.Topics;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.PlainText;
import cn.jiujinbang.platform.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Who a worker is and what they signed: real-name verification (the register is asked through
 * {@link IdentityVerifier} before any transaction; only masked forms stay in the clear, the full
 * identity is sealed) and the labor-service agreement. An unverified worker sees offers but cannot
 * accept them; settlement holds the earnings of a worker who has not signed the current agreement.
 */
@ApplicationScoped
public class WorkerIdentity {

    private final IdentityRepository repository;
    private final WorkerService workers;
    private final IdentityVerifier verifier;
    private final IdentitySeal seal;
    private final Outbox outbox;
    private final Clock clock;
    private final String agreementVersion;

    public WorkerIdentity(IdentityRepository repository, WorkerService workers, IdentityVerifier verifier, Outbox outbox,
                          Clock clock, @ConfigProperty(name = "gig.identity.sealing-key") String sealingKey,
                          @ConfigProperty(name = "gig.agreement.version") String agreementVersion) {
        this.repository = repository;
        this.workers = workers;
        this.verifier = verifier;
        this.seal = new IdentitySeal(sealingKey);
        this.outbox = outbox;
        this.clock = clock;
        this.agreementVersion = agreementVersion;
    }

    /** What the worker (or an admin) sees: the status, the masked identity, and the agreement signed. */
    public record Standing(String workerId, String status, String name, String idNumber, String refusal,
                           OffsetDateTime verifiedAt, String currentAgreementVersion, String agreementVersion,
                           OffsetDateTime agreementSignedAt, boolean mayAcceptOffers, boolean payoutsHeld) {
    }

    public String currentAgreementVersion() {
        return agreementVersion;
    }

    public Uni<Standing> standing(String workerId) {
        return workers.find(workerId).chain(w -> repository.verification(workerId))
                .chain(v -> repository.signatures(workerId).map(signed -> standing(workerId, v, signed)));
    }

    private Standing standing(String workerId, IdentityRepository.Verification v, List<IdentityRepository.Signature> signed) {
        IdentityRepository.Signature current = signed.stream().filter(s -> s.version().equals(agreementVersion))
                .findFirst().orElse(null);
        boolean verified = v != null && "VERIFIED".equals(v.status());
        return new Standing(workerId, v == null ? "UNVERIFIED" : v.status(), v == null ? null : v.nameMasked(),
                v == null ? null : v.idNumberMasked(), v == null ? null : v.refusal(), v == null ? null : v.verifiedAt(),
                agreementVersion, current == null ? null : current.version(), current == null ? null : current.signedAt(),
                verified, current == null);
    }

    /**
     * Checks the worker's name and ID number with the register. A refusal is kept (with the masked
     * identity, so the worker sees what was checked) and answered 422; a verified worker cannot be
     * verified again (409).
     */
    public Uni<Standing> verify(String workerId, String name, String idNumber) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String cleanName = name == null ? null : name.strip();
        IdentityNumber.Result parsed = IdentityNumber.parse(idNumber, LocalDate.ofInstant(now.toInstant(), clock.getZone()));
        List<Problem.InvalidField> errors = new java.util.ArrayList<>();
        if (cleanName == null || cleanName.isEmpty() || cleanName.length() > 50 || PlainText.hasControlCharacter(cleanName, false)) {
            errors.add(new Problem.InvalidField("name", "the name on the ID card is required (at most 50 characters)"));
        }
        parsed.number().ifPresentOrElse(n -> { }, () -> errors.add(new Problem.InvalidField("idNumber", parsed.refusal())));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ApiProblem(400, "Invalid request", errors.stream()
                    .map(e -> e.field() + ": " + e.message()).collect(java.util.stream.Collectors.joining("; ")), errors));
        }
        IdentityNumber number = parsed.number().get();
        return Panache.withSession(() -> workers.find(workerId).chain(w -> repository.isVerified(workerId)))
                .chain(verified -> {
                    if (verified) {
                        return Uni.createFrom().failure(ApiProblem.conflict("worker " + workerId + " is already verified"));
                    }
                    return ask(cleanName, number); // outside any transaction: the register is outside the system
                })
                .chain(verdict -> Panache.withTransaction(() -> repository.record(workerId, verdict.matched(),
                                IdentityNumber.maskName(cleanName), number.masked(),
                                seal.seal(workerId, cleanName + "\n" + number.value()), seal.keyId(), verdict.reason(), now)
                        .chain(recorded -> !recorded
                                ? Uni.createFrom().failure(ApiProblem.conflict("worker " + workerId + " is already verified"))
                                : verdict.matched()
                                ? outbox.add(Topics.MATCHING, workerId, EventTypes.WORKER_VERIFIED, new WorkerVerified(workerId, now)).replaceWithVoid()
                                : Uni.createFrom().voidItem())
                        .replaceWith(verdict)))
                .chain(verdict -> verdict.matched() ? Panache.withSession(() -> standing(workerId))
                        : Uni.createFrom().failure(new ApiProblem(422, "Identity not verified",
                        "the register did not confirm this name and ID number: " + verdict.reason()
                                + "; check both against the ID card and try again",
                        List.of(new Problem.InvalidField("idNumber", verdict.reason())))));
    }

    private Uni<IdentityVerifier.Verdict> ask(String name, IdentityNumber number) {
        return Uni.createFrom().item(() -> verifier.verify(name, number))
                .onFailure(IdentityVerifier.VerifierUnavailable.class).transform(e ->
                        ApiProblem.unavailable("the identity register cannot answer now (" + e.getMessage() + ")", 30));
    }

    /** Signs the current agreement (a repeated signature changes nothing); another version is a 409. */
    public Uni<Standing> sign(String workerId, String version) {
        if (version == null || version.isBlank()) {
            return Uni.createFrom().failure(ApiProblem.invalid("version", "the version of the agreement signed is required ("
                    + agreementVersion + ")"));
        }
        if (!version.equals(agreementVersion)) {
            return Uni.createFrom().failure(ApiProblem.conflict("the current agreement is version " + agreementVersion
                    + ", not " + version + ": read it again and sign that one"));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> workers.find(workerId)
                        .chain(w -> repository.sign(workerId, version, now))
                        .chain(signed -> signed
                                ? outbox.add(Topics.MATCHING, workerId, EventTypes.WORKER_AGREEMENT_SIGNED,
                                new AgreementSigned(workerId, version, now)).replaceWithVoid()
                                : Uni.createFrom().voidItem()))
                .chain(() -> Panache.withSession(() -> standing(workerId)));
    }
}
