package cn.jiujinbang.platform.notify;

import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A person's notification preferences for the kinds this service sends ({@code gig.notifications.kinds}):
 * which channels each goes to. Each kind is kept by the service that sends it (docs/api.md).
 */
@Path("/notification-preferences")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RESIDENT, Roles.WORKER})
public class NotificationPreferenceResource {

    private final Caller caller;
    private final Set<NotificationKind> kinds;
    private final Clock clock;

    public NotificationPreferenceResource(Caller caller, Clock clock,
                                          @ConfigProperty(name = "gig.notifications.kinds") List<NotificationKind> kinds) {
        this.caller = caller;
        this.clock = clock;
        this.kinds = kinds.isEmpty() ? EnumSet.noneOf(NotificationKind.class) : EnumSet.copyOf(kinds);
    }

    public record Preference(String kind, List<String> channels) {
    }

    public record Channels(List<String> channels) {
    }

    @GET
    @Operation(summary = "The caller's channels for each kind this service sends (APP_PUSH unless changed)")
    public Uni<List<Preference>> mine() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "SELECT kind, channels FROM notification_preference WHERE person_id = :person", Tuple.class)
                .setParameter("person", caller.id()).getResultList()))
                .map(rows -> {
                    Map<String, String> stored = rows.stream().collect(Collectors.toMap(r -> r.get("kind", String.class),
                            r -> r.get("channels", String.class)));
                    List<Preference> all = new ArrayList<>();
                    for (NotificationKind kind : kinds) {
                        all.add(new Preference(kind.name(), Notifications.channels(stored.get(kind.name())).stream()
                                .map(Enum::name).sorted().toList()));
                    }
                    return all;
                });
    }

    @PUT
    @Path("{kind}")
    @Operation(summary = "Choose the channels of one kind: {\"channels\":[\"APP_PUSH\",\"SMS\"]}, [] to switch it off; "
            + "404 for a kind this service does not send, 400 for an unknown channel")
    public Uni<Preference> choose(@PathParam("kind") String kind, Channels body) {
        NotificationKind k;
        try {
            k = NotificationKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("notification kind " + kind);
        }
        if (!kinds.contains(k)) {
            throw ApiProblem.notFound("notification kind " + kind + " (this service sends " + kinds + ")");
        }
        if (body == null || body.channels() == null) {
            throw ApiProblem.invalid("channels", "a list of channels is required (APP_PUSH, SMS; [] for none)");
        }
        Set<NotificationKind.Channel> channels = EnumSet.noneOf(NotificationKind.Channel.class);
        for (String c : body.channels()) {
            try {
                channels.add(NotificationKind.Channel.valueOf(c));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ApiProblem.invalid("channels", "unknown channel " + c + " (APP_PUSH, SMS)");
            }
        }
        String stored = channels.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO notification_preference (person_id, kind, channels, updated_at) VALUES (:person, :kind, :channels, :at)
                        ON CONFLICT (person_id, kind) DO UPDATE SET channels = excluded.channels, updated_at = excluded.updated_at""")
                .setParameter("person", caller.id()).setParameter("kind", k.name()).setParameter("channels", stored)
                .setParameter("at", OffsetDateTime.now(clock)).executeUpdate()))
                .map(n -> new Preference(k.name(), channels.stream().map(Enum::name).sorted().toList()));
    }
}
