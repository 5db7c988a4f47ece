package cn.jiujinbang.matching.service;

import cn.jiujinbang.matching.Worker;
import cn.jiujinbang.matching.domain.WorkerRules;
import cn.jiujinbang.matching.rest.WorkerBodies.RegisterWorker;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

/** The worker registry: registration, profile changes, availability. */
@ApplicationScoped
public class WorkerService {

    /** A new worker's rating until residents rate them (docs/matching.md). */
    public static final double DEFAULT_RATING = cn.jiujinbang.matching.domain.WorkerRating.of(0, 0);

    private final Clock clock;

    public WorkerService(Clock clock) {
        this.clock = clock;
    }

    public Uni<Worker> register(String workerId, RegisterWorker body) {
        // two registrations of one worker at once (a double tap) queue on this lock: the second finds the
        // first's row and answers 409, instead of both inserting and the loser's commit failing with a 500
        return Uni.createFrom().item(() -> validated(body)).chain(valid -> Panache.withTransaction(() ->
                Panache.getSession().chain(s -> s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(:key))", Object.class)
                                .setParameter("key", "gig.worker-registration:" + workerId).getSingleResult()
                                .chain(() -> s.find(Worker.class, workerId))).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ApiProblem.conflict(
                                "worker " + workerId + " is already registered; change the profile with PUT /workers/" + workerId));
                    }
                    Worker w = new Worker();
                    w.id = workerId;
                    w.available = true;
                    w.rating = DEFAULT_RATING;
                    w.createdAt = OffsetDateTime.now(clock);
                    apply(w, valid);
                    return Panache.getSession().chain(s -> s.persist(w)).replaceWith(w);
                })));
    }

    public Uni<Worker> update(String workerId, RegisterWorker body) {
        return Uni.createFrom().item(() -> validated(body)).chain(valid -> Panache.withTransaction(() ->
                find(workerId).map(w -> {
                    apply(w, valid);
                    return w;
                })));
    }

    public Uni<Worker> setAvailability(String workerId, Boolean available) {
        if (available == null) {
            return Uni.createFrom().failure(ApiProblem.invalid("available", "must be true or false"));
        }
        return Panache.withTransaction(() -> find(workerId).map(w -> {
            w.available = available;
            w.updatedAt = OffsetDateTime.now(clock);
            return w;
        }));
    }

    public Uni<Worker> find(String workerId) {
        return Panache.getSession().chain(s -> s.find(Worker.class, workerId)).map(w -> {
            if (w == null) {
                throw ApiProblem.notFound("worker " + workerId);
            }
            return w;
        });
    }

    public Uni<List<Worker>> page(int page, int size) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("from Worker order by id", Worker.class)
                .setFirstResult(page * size).setMaxResults(size).getResultList());
    }

    private void apply(Worker w, RegisterWorker body) {
        w.name = body.name().strip();
        w.serviceCodes = body.serviceCodes().stream().distinct().toArray(String[]::new);
        w.homeLat = body.home().lat();
        w.homeLon = body.home().lon();
        w.radiusMeters = (int) Math.round(body.radiusKm() * 1000);
        w.updatedAt = OffsetDateTime.now(clock);
    }

    private static RegisterWorker validated(RegisterWorker body) {
        if (body == null) {
            throw ApiProblem.invalid("body", "a JSON worker profile is required");
        }
        List<WorkerRules.Violation> violations = WorkerRules.check(body.name(), body.serviceCodes(),
                body.home() == null ? null : body.home().lat(), body.home() == null ? null : body.home().lon(),
                body.radiusKm());
        if (!violations.isEmpty()) {
            throw new ApiProblem(400, "Invalid request",
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                    violations.stream().map(v -> new Problem.InvalidField(v.field(), v.message())).toList());
        }
        return body;
    }

    /**
     * A resident's rating of an order the worker did, folded into the worker's rating (once: the
     * inbox drops a redelivered event). A rating of a worker not registered here changes nothing.
     */
    public Uni<Void> onRated(cn.jiujinbang.platform.events.OrderRated rated) {
        return Panache.getSession().chain(s -> s.find(Worker.class, rated.workerId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                .invoke(w -> {
                    if (w != null) {
                        w.ratingCount += 1;
                        w.ratingStars += rated.stars();
                        w.rating = cn.jiujinbang.matching.domain.WorkerRating.of(w.ratingStars, w.ratingCount);
                        w.updatedAt = OffsetDateTime.now(clock);
                    }
                }).replaceWithVoid();
    }

    /** A rating an admin withdrew as abusive: its stars leave the worker's rating (a repeat is stopped by the inbox). */
    public Uni<Void> onRatingWithdrawn(cn.jiujinbang.platform.events.RatingWithdrawn withdrawn) {
        return Panache.getSession().chain(s -> s.find(Worker.class, withdrawn.workerId(), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE))
                .invoke(w -> {
                    if (w != null && w.ratingCount > 0 && w.ratingStars - withdrawn.stars() >= w.ratingCount - 1) {
                        w.ratingCount -= 1;
                        w.ratingStars -= withdrawn.stars();
                        w.rating = cn.jiujinbang.matching.domain.WorkerRating.of(w.ratingStars, w.ratingCount);
                        w.updatedAt = OffsetDateTime.now(clock);
                    }
                }).replaceWithVoid();
    }
}
