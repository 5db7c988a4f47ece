package cn.jiujinbang.platform.audit;

import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.problem.ApiProblem;
import cn.jiujinbang.platform.problem.Paging;
import cn.jiujinbang.platform.problem.Params;
import cn.jiujinbang.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The audit trail of this service, for finance: in settlement who ran which payout batch, imported
 * which statement, resolved which failed charge; in order and matching which admin read whose order
 * or worker profile.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.FINANCE)
public class AuditResource {

    static final int MAX_DAYS = 92;
    static final int MAX_PAGE_SIZE = 500;

    private final AuditTrail audit;

    public AuditResource(AuditTrail audit) {
        this.audit = audit;
    }

    @GET
    @WithSession
    @Operation(summary = "This service's finance and admin actions from one day to another (inclusive, Asia/Shanghai, at most 92 days), oldest first: "
            + "who (the token's subject), when, which action, on what, and its details. Nobody can change an entry.")
    public Uni<List<AuditTrail.Entry>> entries(@QueryParam("from") String fromDay, @QueryParam("to") String toDay,
                                               @QueryParam("page") @DefaultValue("0") String page,
                                               @QueryParam("size") @DefaultValue("100") String size) {
        LocalDate from = Params.date(fromDay, "from");
        LocalDate to = Params.date(toDay, "to");
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiProblem.invalid("to", "must be on or after from, and at most " + MAX_DAYS + " days later");
        }
        Paging.Page paging = Paging.check(page, size, MAX_PAGE_SIZE);
        return audit.between(ClockProducer.startOf(from), ClockProducer.startOf(to.plusDays(1)), paging.number(), paging.size());
    }
}
