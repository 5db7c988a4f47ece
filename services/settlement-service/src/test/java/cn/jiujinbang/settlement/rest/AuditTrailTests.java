package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.platform.audit.AuditTrail;
import cn.jiujinbang.devinfra.AuditProbe;
import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every finance action is in the audit trail with who, when and what; finance reads it; nobody changes it. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class AuditTrailTests {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    /** A day long before any test's settlements: a batch for it pays nobody, a statement of it changes nothing. */
    private static final LocalDate LONG_AGO = LocalDate.of(2025, 1, 2);

    private static io.restassured.specification.RequestSpecification as(String role, String subject) {
        return given().auth().oauth2(DevTokens.mint(role, subject));
    }

    private static List<Map<String, Object>> entriesOf(String actor) {
        return AuditProbe.entriesOf(actor);
    }

    @Test
    void aPayoutBatchAndAStatementImportAreRecordedWithWhoWhenAndWhatAndARefusedActionIsNot() {
        String clerk = "f-audit-" + UUID.randomUUID().toString().substring(0, 8);
        as("finance", clerk).contentType(ContentType.JSON).body("{\"date\":\"+999999999-12-31\"}").post("/payout-batches")
                .then().statusCode(400);
        assertEquals(List.of(), entriesOf(clerk), "a refused action leaves no entry");

        String batchId = as("finance", clerk).contentType(ContentType.JSON).body("{\"date\":\"" + LONG_AGO + "\"}")
                .post("/payout-batches").then().statusCode(201).extract().path("id");
        String csv = FinanceTests.header() + "T-audit-" + UUID.randomUUID() + ",PO-nobody-" + UUID.randomUUID()
                + ",PAYOUT,100,SUCCESS," + LONG_AGO + "T10:00:00+08:00\n";
        JsonPath report = as("finance", clerk).contentType("text/csv").body(csv).post("/reconciliations")
                .then().statusCode(201).extract().jsonPath();

        List<Map<String, Object>> entries = entriesOf(clerk);
        assertEquals(List.of("PAYOUT_BATCH_RUN", "STATEMENT_RECONCILED"), entries.stream().map(e -> e.get("action")).toList());
        assertEquals(batchId, entries.get(0).get("subject"));
        assertEquals(Map.of("date", LONG_AGO.toString()), entries.get(0).get("details"));
        assertEquals(report.getString("id"), entries.get(1).get("subject"));
        @SuppressWarnings("unchecked") Map<String, Object> details = (Map<String, Object>) entries.get(1).get("details");
        assertEquals(1, details.get("lines"));
        assertEquals(1, details.get("findings"));
        assertEquals(false, details.get("importedBefore"));
        assertNotNull(entries.get(0).get("at"));
    }

    @Test
    void anEntryCannotBeChangedEvenByTheSchemasOwner() throws SQLException {
        // roles, bounds and the service's own rights are the contract of every service (ServiceContract)
        as("finance", "f-audit-seed").contentType(ContentType.JSON).body("{\"date\":\"" + LONG_AGO + "\"}")
                .post("/payout-batches").then().statusCode(201);
        try (Connection owner = DbProbe.superuser()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> owner.createStatement().executeUpdate("UPDATE settlement.audit_entry SET actor = 'someone-else'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        }
    }
}
