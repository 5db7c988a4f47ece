package cn.jiujinbang.fuzz;

import cn.jiujinbang.demo.PlatformClient;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Things that exist before the fuzzing starts, so that malformed requests also reach real
 * resources: a registered worker, a posted order of a resident, and the day's channel statement.
 */
final class Fixtures {

    private final String residentId;
    private final String workerId;
    private final String orderId;
    private final String statement;

    private Fixtures(String residentId, String workerId, String orderId, String statement) {
        this.residentId = residentId;
        this.workerId = workerId;
        this.orderId = orderId;
        this.statement = statement;
    }

    static Fixtures create(PlatformClient api) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String worker = "w-fuzz-" + run;
        String resident = "r-fuzz-" + run;
        expect(api.post(api.matching + "/workers", "worker", worker, """
                {"name":"模糊测试","serviceCodes":["PET_CARE"],"home":{"lat":29.5053,"lon":106.5126},"radiusKm":3}"""), 201, "register a worker");
        api.verifyAndSign(worker);
        // booked two days ahead: it is not offered during the run, so no background change (rounds
        // expiring, the order unmatched) is mistaken for a write by a refused request
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusDays(2);
        PlatformClient.Reply order = expect(api.post(api.orders + "/orders", "resident", resident, """
                {"serviceCode":"PET_CARE","description":"fuzz fixture","location":{"lat":29.5053,"lon":106.5126,"address":"劳动三村 3栋"},
                 "window":{"start":"%s","end":"%s"},"priceFen":6000}""".formatted(start, start.plusHours(3))), 201, "post an order");
        String statement = api.get(api.settlement + "/channel/statement?date=" + LocalDate.now(ZoneOffset.ofHours(8)), "finance", "f-fuzz").text();
        return new Fixtures(resident, worker, order.body().path("id").asText(), statement);
    }

    private static PlatformClient.Reply expect(PlatformClient.Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException("could not " + what + ": " + reply.status() + " " + reply.text());
        }
        return reply;
    }

    String residentId() {
        return residentId;
    }

    String workerId() {
        return workerId;
    }

    String orderId() {
        return orderId;
    }

    /** The subject a caller's token carries: the fixtures' own resident and worker, so ownership passes where it can. */
    String subject(String role) {
        return switch (role) {
            case "resident" -> residentId;
            case "worker" -> workerId;
            default -> role + "-fuzz";
        };
    }

    String statementCsv() {
        return statement;
    }

    /** A real id for a path parameter: the worker for worker paths, the order for order paths, else "1". */
    String pathValue(Operation op, String name) {
        String lower = name.toLowerCase();
        if (lower.contains("worker") || lower.equals("id") && op.path().startsWith("/workers")) {
            return workerId;
        }
        if (lower.contains("order") || lower.equals("id") && op.path().startsWith("/orders")) {
            return orderId;
        }
        return lower.contains("offer") ? UUID.randomUUID().toString() : "1";
    }
}
