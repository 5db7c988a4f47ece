package cn.jiujinbang.order.rest;

import cn.jiujinbang.catalog.Catalog;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/catalog")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CatalogResource {

    public record CatalogView(List<Catalog.Category> categories) {
    }

    @GET
    @Operation(summary = "The 7 categories and 56 service types, with guide prices in fen; no login needed")
    public CatalogView catalog() {
        return new CatalogView(Catalog.standard().categories());
    }
}
