package cn.jiujinbang.system;

import cn.jiujinbang.devinfra.DevTokens;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The web app in a real headless Chromium, against the real platform: a resident posts, a worker
 * sees the offer pushed and accepts, the resident sees ASSIGNED pushed, the worker finishes, the
 * resident confirms, finance sees the day, runs a payout batch and reconciles the channel's statement
 * with no findings, and the admin board counts it. Screenshots of each page go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebJourneyTests {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private final Path screenshots = Path.of("target", "screenshots");
    private ServiceProcess orders;
    private ServiceProcess matching;
    private ServiceProcess settlement;
    private ServiceProcess web;
    private WebDriver resident;
    private WebDriver worker;

    @BeforeAll
    void startThePlatformAndTwoPhones() throws Exception {
        List<String> browser = chromium();
        orders = new ServiceProcess("order-service", Map.of()).start();
        matching = new ServiceProcess("matching-service", Map.of()).start();
        settlement = new ServiceProcess("settlement-service", Map.of()).start();
        Path key = Path.of(System.getProperty("gig.services.dir", "services"), "dev-infra", "src", "main", "resources", "dev-jwt", "privateKey.pem");
        web = new ServiceProcess("web", Map.of("GIG_ORDERS_URL", orders.baseUrl(), "GIG_MATCHING_URL", matching.baseUrl(),
                "GIG_SETTLEMENT_URL", settlement.baseUrl(), "GIG_WEB_DEV_SIGNING_KEY", key.toAbsolutePath().toString())).start();
        Files.createDirectories(screenshots);
        resident = phone(browser);
        worker = phone(browser);
    }

    /** Debian's chromium and chromedriver, installed by the project's script when missing. */
    private static List<String> chromium() throws Exception {
        Path script = Path.of(System.getProperty("gig.services.dir", "services"), "..", "deploy", "local", "chromium.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> paths = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.waitFor(), "deploy/local/chromium.sh failed");
        return paths;
    }

    /** A phone-sized headless Chromium (360 px wide, as the smallest phones the app supports). */
    private static WebDriver phone(List<String> browser) {
        ChromeOptions options = new ChromeOptions().setBinary(browser.get(0))
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(browser.get(1)))
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(360, 800));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    @AfterAll
    void stop() throws Exception {
        for (WebDriver driver : new WebDriver[]{resident, worker}) {
            if (driver != null) {
                driver.quit();
            }
        }
        for (ServiceProcess p : new ServiceProcess[]{web, orders, matching, settlement}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private void open(WebDriver driver, String path) {
        driver.get(web.baseUrl() + path);
    }

    private void signIn(WebDriver driver, String role, String id) {
        open(driver, "/sign-in");
        new Select(driver.findElement(By.id("role"))).selectByValue(role);
        driver.findElement(By.id("id")).sendKeys(id);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(driver, PATIENCE).until(d -> d.getCurrentUrl().contains("/" + role));
    }

    private void signOut(WebDriver driver) {
        driver.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
        new WebDriverWait(driver, PATIENCE).until(d -> d.getCurrentUrl().contains("/sign-in"));
    }

    private void screenshot(WebDriver driver, String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits as a person looks again: a page being replaced (a redirect, a live region refreshed) is looked at again. */
    private static WebDriverWait waiting(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(200));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    @Test
    void aResidentAWorkerFinanceAndAnAdminDoTheirJourneysInTheBrowser() throws Exception {
        double lat = ThreadLocalRandom.current().nextDouble(23, 43);
        double lon = ThreadLocalRandom.current().nextDouble(86, 119);
        String workerId = "w-" + UUID.randomUUID().toString().substring(0, 8);
        String residentId = "r-" + UUID.randomUUID().toString().substring(0, 8);

        // the worker registers: skills, home a few hundred metres from the resident, radius
        signIn(worker, "worker", workerId);
        worker.findElement(By.id("name")).sendKeys("王师傅");
        worker.findElement(By.cssSelector("input[name=serviceCodes][value=PET_CARE]")).click();
        worker.findElement(By.id("lat")).sendKeys(String.valueOf(lat + 0.003));
        worker.findElement(By.id("lon")).sendKeys(String.valueOf(lon));
        screenshot(worker, "worker-register");
        worker.findElement(By.id("register")).click();
        waiting(worker).until(d -> !d.findElements(By.id("offers")).isEmpty());

        // before accepting work the worker verifies their real name (a mistyped number is refused in words)
        // and signs the labor-service agreement (until then their earnings would be held)
        String idNumber = cn.jiujinbang.devinfra.TestIdentities.ID_NUMBER;
        worker.findElement(By.id("id-name")).sendKeys("王大力");
        worker.findElement(By.id("id-number")).sendKeys(idNumber.substring(0, 17) + "1");
        worker.findElement(By.id("verify")).click();
        waiting(worker).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("身份证号码格式不对"));
        worker.findElement(By.id("id-name")).sendKeys("王大力");
        worker.findElement(By.id("id-number")).sendKeys(idNumber);
        worker.findElement(By.id("verify")).click();
        waiting(worker).until(d -> d.findElement(By.id("verified")).getText().contains("110***********" + idNumber.substring(14)));
        worker.findElement(By.id("sign-agreement")).click();
        waiting(worker).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("已签署"));
        assertTrue(worker.findElements(By.id("agreement-form")).isEmpty());
        // and asks for new offers by SMS too
        worker.findElement(By.id("notification-settings-link")).click();
        worker.findElement(By.cssSelector("input[value='OFFER:SMS']")).click();
        worker.findElement(By.id("save-notifications")).click();
        waiting(worker).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("通知设置已保存"));
        assertTrue(worker.findElement(By.cssSelector("input[value='OFFER:SMS']")).isSelected());
        assertTrue(worker.findElement(By.cssSelector("input[value='PAYOUT:APP_PUSH']")).isSelected());
        worker.get(worker.getCurrentUrl().replaceAll("/notifications.*", "/worker"));
        waiting(worker).until(d -> !d.findElements(By.id("offers")).isEmpty());

        // the resident posts: the guide price fills in; a bad price is refused next to the field, nothing typed is lost
        signIn(resident, "resident", residentId);
        screenshot(resident, "resident-home");
        resident.findElement(By.id("post-request")).click();
        new Select(resident.findElement(By.id("serviceCode"))).selectByValue("PET_CARE");
        String guide = resident.findElement(By.id("price")).getAttribute("value");
        assertTrue(guide.matches("\\d+\\.\\d{2}"), "the guide price is prefilled: " + guide);
        resident.findElement(By.id("description")).sendKeys("喂猫两次，铲猫砂");
        resident.findElement(By.id("address")).sendKeys("九龙坡区 劳动三村 3栋");
        resident.findElement(By.id("lat")).sendKeys(String.valueOf(lat));
        resident.findElement(By.id("lon")).sendKeys(String.valueOf(lon));
        resident.findElement(By.id("price")).clear();
        resident.findElement(By.id("price")).sendKeys("六十八");
        resident.findElement(By.id("submit-order")).click();
        waiting(resident).until(d -> !d.findElements(By.id("price-error")).isEmpty());
        assertEquals("喂猫两次，铲猫砂", resident.findElement(By.id("description")).getAttribute("value"));
        assertEquals("九龙坡区 劳动三村 3栋", resident.findElement(By.id("address")).getAttribute("value"));
        screenshot(resident, "resident-post-error");
        resident.findElement(By.id("price")).clear();
        resident.findElement(By.id("price")).sendKeys("68");
        screenshot(resident, "resident-post");
        resident.findElement(By.id("submit-order")).click();
        waiting(resident).until(d -> d.getCurrentUrl().contains("/resident/orders/"));
        String orderId = resident.getCurrentUrl().replaceAll(".*/resident/orders/([0-9a-f-]+).*", "$1");
        assertEquals("POSTED", status(resident));
        assertTrue(resident.findElement(By.id("live")).getText().contains("¥68.00"));

        // the offer is pushed to the worker's open page (no reload); the worker accepts it
        waiting(worker).until(d -> !d.findElements(By.cssSelector("#offers button.accept[data-order='" + orderId + "']")).isEmpty());
        screenshot(worker, "worker-offer");
        worker.findElement(By.cssSelector("#offers button.accept[data-order='" + orderId + "']")).click();
        waiting(worker).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("接单成功"));

        // ASSIGNED is pushed to the resident's open page
        waiting(resident).until(d -> "ASSIGNED".equals(status(d)));
        screenshot(resident, "resident-order-assigned");

        // the worker starts and finishes; the resident confirms; the order settles
        assertFalse(worker.findElements(By.cssSelector("#jobs li[data-order='" + orderId + "'] button.start")).isEmpty(),
                "the accepted job is on the worker's page when it opens");
        // the resident's page shows the start code; a wrong one is refused in words, the right one starts
        waiting(resident).until(d -> !d.findElements(By.cssSelector("#start-code strong")).isEmpty());
        String code = resident.findElement(By.cssSelector("#start-code strong")).getText();
        assertTrue(code.matches("[0-9]{4}"), code);
        String job = "#jobs li[data-order='" + orderId + "'] ";
        typeStartCode(job, code.equals("0000") ? "1111" : "0000");
        waiting(worker).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("开工码不对"));
        typeStartCode(job, code);
        waiting(worker).until(d -> !d.findElements(By.cssSelector("#jobs li[data-order='" + orderId + "'] button.done")).isEmpty());
        worker.findElement(By.cssSelector("#jobs li[data-order='" + orderId + "'] button.done")).click();
        waiting(resident).until(d -> "AWAITING_CONFIRMATION".equals(status(d)));
        waiting(resident).until(d -> !d.findElements(By.id("dispute-form")).isEmpty()); // not satisfied? dispute instead
        resident.findElement(By.id("confirm")).click();
        waiting(resident).until(d -> {
            d.navigate().refresh();
            return "SETTLED".equals(status(d));
        });
        screenshot(resident, "resident-order-settled");
        // the resident rates the worker; the worker's rating moves from a newcomer's 4.5
        resident.findElement(By.cssSelector("input[name=stars][value='5']")).click();
        resident.findElement(By.id("comment")).sendKeys("准时，猫很开心");
        resident.findElement(By.id("rate")).click();
        waiting(resident).until(d -> !d.findElements(By.id("my-rating")).isEmpty());
        assertTrue(resident.findElement(By.id("my-rating")).getText().contains("准时，猫很开心"));
        open(worker, "/worker");
        waiting(worker).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("my-rating")).getText().contains("4.6");
        });
        open(worker, "/worker/earnings");
        assertTrue(worker.findElement(By.cssSelector("main")).getText().contains("¥68.00"), "the month's gross");
        screenshot(worker, "worker-earnings");

        // finance: the day's figures include the order and the identity holds
        signOut(resident);
        WebDriver finance = resident;
        signIn(finance, "finance", "f-web");
        assertTrue(Integer.parseInt(finance.findElement(By.id("day-orders")).getText()) >= 1);
        assertTrue(finance.findElement(By.id("identity")).getText().startsWith("✓"), finance.findElement(By.id("identity")).getText());
        assertTrue(finance.findElement(By.id("by-category")).getText().contains("宠物服务"), "the pet-care order's category, by name");
        screenshot(finance, "finance-day");
        // the payout batch pays the worker once the channel has answered the resident's charge
        awaitChargeCollected(orderId);
        finance.findElement(By.id("run-batch")).click();
        waiting(finance).until(d -> d.getCurrentUrl().contains("/finance/payout-batches/"));
        assertTrue(finance.findElement(By.id("payouts")).getText().contains(workerId), "the batch pays the worker");
        screenshot(finance, "finance-batch");
        // the channel's statement of the day, downloaded and uploaded as a clerk would
        awaitPayoutsSent(finance.getCurrentUrl().replaceAll(".*/finance/payout-batches/([0-9a-f-]+).*", "$1"));
        Path statement = Files.createTempFile("statement", ".csv");
        Files.writeString(statement, RestAssured.given().baseUri(settlement.baseUrl()).auth().oauth2(DevTokens.mint("finance", "f-web"))
                .get("/channel/statement?date=" + LocalDate.now(ZoneId.of("Asia/Shanghai"))).then().statusCode(200).extract().asString());
        open(finance, "/finance");
        finance.findElement(By.id("statement-file")).sendKeys(statement.toAbsolutePath().toString());
        finance.findElement(By.id("reconcile")).click();
        waiting(finance).until(d -> d.getCurrentUrl().contains("/finance/reconciliations/"));
        assertEquals("0", finance.findElement(By.id("findings")).getText());
        screenshot(finance, "finance-reconciliation");
        open(finance, "/finance");
        assertEquals("¥0.00", finance.findElement(By.id("balance-total")).getText(), "the trial balance sums to 0");

        // the admin board counts the settled order
        signOut(finance);
        signIn(finance, "admin", "a-web");
        assertTrue(Integer.parseInt(finance.findElement(By.id("count-SETTLED")).getText()) >= 1);
        screenshot(finance, "admin-board");
        // an abusive rating is withdrawn by the admin: the app says so
        finance.findElement(By.id("report-order")).sendKeys(orderId);
        finance.findElement(By.id("report-reason")).sendKeys("测试：撤下评价");
        finance.findElement(By.cssSelector("#report-rating button")).click();
        waiting(finance).until(d -> d.findElement(By.cssSelector(".notice")).getText().contains("评价已撤下"));

        // and the app speaks English when asked
        finance.findElement(By.cssSelector("a[href='/language/en']")).click();
        waiting(finance).until(d -> d.findElement(By.tagName("h1")).getText().equals("Orders board"));
        finance.findElement(By.cssSelector("a[href='/language/zh']")).click();
    }

    private static String status(WebDriver driver) {
        List<WebElement> badge = driver.findElements(By.id("order-status"));
        return badge.isEmpty() ? null : badge.get(0).getAttribute("data-status");
    }

    private void awaitChargeCollected(String orderId) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(RestAssured.given()
                .baseUri(settlement.baseUrl()).auth().oauth2(DevTokens.mint("finance", "f-web"))
                .get("/settlements/" + orderId).then().extract().path("chargeStatus")));
    }

    /** The payment sender sends a batch's payouts right after it commits; the channel's statement shows them then. */
    private void awaitPayoutsSent(String batchId) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> !RestAssured.given().baseUri(settlement.baseUrl())
                .auth().oauth2(DevTokens.mint("finance", "f-web")).get("/payout-batches/" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("payouts.status").contains("INSTRUCTED"));
    }


    /**
     * The worker types the code and presses start. A page just loaded may still be refreshed by its
     * first push (the stream's snapshot), which replaces the form: type again until the field holds it.
     */
    private void typeStartCode(String job, String code) {
        waiting(worker).until(d -> {
            org.openqa.selenium.WebElement field = d.findElement(By.cssSelector(job + "input.start-code"));
            field.clear();
            field.sendKeys(code);
            return code.equals(field.getAttribute("value"));
        });
        worker.findElement(By.cssSelector(job + "button.start")).click();
    }
}
