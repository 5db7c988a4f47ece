package cn.jiujinbang.order.rest;

import cn.jiujinbang.order.service.OrderRatings;
import cn.jiujinbang.platform.security.Caller;
import cn.jiujinbang.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** What residents said of a worker's work, for that worker. */
@Path("/ratings")
@Produces(MediaType.APPLICATION_JSON)
public class RatingResource {

    static final int SHOWN = 100;

    private final OrderRatings ratings;
    private final Caller caller;

    public RatingResource(OrderRatings ratings, Caller caller) {
        this.ratings = ratings;
        this.caller = caller;
    }

    @GET
    @Path("workers/{workerId}")
    @RolesAllowed(Roles.WORKER)
    @Operation(summary = "The worker's latest ratings (at most 100), newest first: order, stars, comment, time (that worker; 404 for anyone else)")
    public Uni<List<OrderRatings.GivenRating>> ofWorker(@PathParam("workerId") String workerId) {
        return ratings.ofWorker(caller.self(workerId, "ratings of worker " + workerId), SHOWN);
    }
}
