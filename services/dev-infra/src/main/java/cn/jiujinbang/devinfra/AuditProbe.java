package cn.jiujinbang.devinfra;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Reads a service's audit trail as finance does (GET /audit, today in Asia/Shanghai). */
public final class AuditProbe {

    private AuditProbe() {
    }

    public static LocalDate today() {
        return LocalDate.now(ZoneId.of("Asia/Shanghai"));
    }

    /** Today's entries of one actor, oldest first. */
    public static List<Map<String, Object>> entriesOf(String actor) {
        return given().auth().oauth2(DevTokens.mint("finance", "f-audit-reader"))
                .queryParam("from", today().toString()).queryParam("to", today().toString()).queryParam("size", "500")
                .get("/audit").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("").stream().filter(e -> actor.equals(e.get("actor"))).toList();
    }
}
