package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Real-name verification and the labor-service agreement: an unverified worker sees offers but
 * cannot accept; only masked forms are kept in the clear; both facts are announced to settlement.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class WorkerVerificationTests {

    @Test
    void anUnverifiedWorkerSeesTheOfferButCannotAcceptUntilVerified() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String newcomer = spot.unverifiedWorker("PET_CARE", 300, 5);
        as("worker", newcomer).get("/workers/" + newcomer + "/verification").then().statusCode(200)
                .body("status", is("UNVERIFIED")).body("mayAcceptOffers", is(false)).body("payoutsHeld", is(true))
                .body("currentAgreementVersion", is("2026-11"));
        String orderId = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(newcomer, orderId) != null);
        String offer = offerFor(newcomer, orderId);

        as("worker", newcomer).post("/offers/" + offer + "/accept").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("verify your real name"));
        assertEquals(1, offers(newcomer, "OFFERED").stream().filter(o -> orderId.equals(o.get("orderId"))).count(),
                "the offer stays open for them");

        verify(newcomer);
        as("worker", newcomer).post("/offers/" + offer + "/accept").then().statusCode(200).body("workerId", is(newcomer));
        // the offer was also sent through the notifier (the app by default)
        await().atMost(Duration.ofSeconds(15)).until(() -> DbProbe.count("SELECT count(*) FROM matching.notification WHERE person_id = '"
                + newcomer + "' AND kind = 'OFFER' AND subject = 'order " + orderId + "' AND sent_at IS NOT NULL AND channels = 'APP_PUSH'") == 1);
    }

    @Test
    void aMalformedNumberIs400AndWritesNothing() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.unverifiedWorker("PET_CARE", 300, 5);
        String wrongCheck = idNumber("19900307", 123).substring(0, 17) + (idNumber("19900307", 123).endsWith("0") ? "1" : "0");
        for (String body : List.of("{}", "{\"name\":\"张三\"}", "{\"name\":\"张三\",\"idNumber\":\"" + wrongCheck + "\"}",
                "{\"name\":\"张三\",\"idNumber\":\"1101051990\"}", "{\"name\":\"\",\"idNumber\":\"" + idNumber("19900307", 123) + "\"}",
                "{\"name\":\"张三\",\"idNumber\":\"" + idNumber("20150101", 123) + "\"}")) {
            as("worker", w).body(body).post("/workers/" + w + "/verification").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", anyOf(hasItem("idNumber"), hasItem("name")));
        }
        assertEquals(0, DbProbe.count("SELECT count(*) FROM matching.worker_verification WHERE worker_id = '" + w + "'"));
        as("worker", newId("w")).body("{\"name\":\"张三\",\"idNumber\":\"" + idNumber("19900307", 123) + "\"}")
                .post("/workers/" + w + "/verification").then().statusCode(404);
    }

    @Test
    void theRegistersRefusalIsKeptAndAnsweredThenARightIdentityVerifiesOnceAndIsAnnounced() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.unverifiedWorker("PET_CARE", 300, 5);
        String unknown = idNumber("19851120", 0); // sequence 000 is never issued: the register knows no such person
        as("worker", w).body("{\"name\":\"王五\",\"idNumber\":\"" + unknown + "\"}").post("/workers/" + w + "/verification")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("register"));
        as("worker", w).get("/workers/" + w + "/verification").then().statusCode(200).body("status", is("REFUSED"))
                .body("idNumber", is(unknown.substring(0, 3) + "***********" + unknown.substring(14)))
                .body("mayAcceptOffers", is(false));

        String number = idNumber("19851120", 457);
        as("worker", w).body("{\"name\":\" 王五 \",\"idNumber\":\"" + number.toLowerCase() + "\"}")
                .post("/workers/" + w + "/verification").then().statusCode(200)
                .body("status", is("VERIFIED")).body("name", is("王*")).body("idNumber", is("110***********" + number.substring(14)))
                .body("mayAcceptOffers", is(true)).body("refusal", nullValue());
        as("worker", w).body("{\"name\":\"王五\",\"idNumber\":\"" + number + "\"}").post("/workers/" + w + "/verification")
                .then().statusCode(409);

        // nothing of the number in the clear: the row keeps masks and the sealed bytes, which open to name and number
        try (Connection c = DbProbe.superuser(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM matching.worker_verification WHERE worker_id = '" + w + "'")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt("attempts"));
            byte[] sealed = rs.getBytes("identity_sealed");
            assertFalse(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).contains(number.substring(6, 14)));
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String value = rs.getString(i);
                assertTrue(value == null || !value.contains(number.substring(3, 14)), rs.getMetaData().getColumnName(i));
            }
            assertEquals("王五\n" + number, new cn.jiujinbang.matching.identity.IdentitySeal(
                    "NndZXEWPHfCTRDRsW/DbgGjJ1mqjLwhwtQZ5Fptse0I=").open(w, sealed));
        }
        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.matching", w, 1, Duration.ofSeconds(30));
        assertEquals("gig.worker.verified.v1", KafkaProbe.header(events.get(0), "ce_type"));
        assertFalse(events.get(0).value().contains(number.substring(6, 14)), "the event carries no identity");
    }

    @Test
    void signingTheCurrentAgreementOnceLiftsTheHoldAndIsAnnounced() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 5);
        as("worker", w).body("{\"version\":\"2020-01\"}").post("/workers/" + w + "/agreement").then().statusCode(409)
                .body("detail", containsString("2026-11"));
        as("worker", w).body("{}").post("/workers/" + w + "/agreement").then().statusCode(400).body("errors.field", contains("version"));
        as("worker", w).body("{\"version\":\"2026-11\"}").post("/workers/" + w + "/agreement").then().statusCode(200)
                .body("agreementVersion", is("2026-11")).body("agreementSignedAt", notNullValue()).body("payoutsHeld", is(false));
        as("worker", w).body("{\"version\":\"2026-11\"}").post("/workers/" + w + "/agreement").then().statusCode(200);
        as("worker", newId("w")).body("{\"version\":\"2026-11\"}").post("/workers/" + w + "/agreement").then().statusCode(404);

        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.matching", w, 2, Duration.ofSeconds(30));
        assertEquals(List.of("gig.worker.verified.v1", "gig.worker.agreement-signed.v1"),
                events.stream().map(r -> KafkaProbe.header(r, "ce_type")).toList());
        assertTrue(events.get(1).value().contains("\"agreementVersion\":\"2026-11\""), events.get(1).value());
        assertEquals(2, KAFKA.awaitKey("gig.matching", w, 3, Duration.ofSeconds(3)).size(), "signing again announces nothing");
    }

    @Test
    void anAdminReadsTheMaskedIdentityAndTheReadIsAudited() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 5);
        String admin = newId("a");
        as("admin", admin).get("/workers/" + w + "/verification").then().statusCode(200).body("status", is("VERIFIED"))
                .body("idNumber", startsWith("110***"));
        as("resident", "r-1").get("/workers/" + w + "/verification").then().statusCode(403);
        as("worker", newId("w")).get("/workers/" + w + "/verification").then().statusCode(404);
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.audit_entry WHERE actor = '" + admin
                + "' AND action = 'WORKER_VERIFICATION_VIEWED'"));
    }
}
