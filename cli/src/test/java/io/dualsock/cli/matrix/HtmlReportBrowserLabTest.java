package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.dualsock.cli.compare.JdkMatrix;
import io.dualsock.cli.compare.JdkSetting;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.testsupport.Prerequisite;

/**
 * The {@code --html} page of a real matrix run in a real browser: a short run in the lab (TCP; the
 * book's IPv6 client with the JDK's rows and columns, and the {@code all} variant, whose looping
 * client reaches the book's "(no)*" cell), the page loaded in headless Chromium through Selenium
 * (Debian's {@code chromium} and {@code chromium-driver}, named here so that Selenium Manager is
 * never asked to download one), and its DOM held against the report: every cell drawn with its
 * outcome, exactly the differing ones marked, a click showing that cell's evidence, the JDK
 * toggle hiding and showing the JDK's rows and columns. The page, the JSON it came from and a
 * screenshot stay in {@code target/html-report/}. Needs root (the lab) and Chromium: skipped with
 * the reason outside CI, a failure with {@code CI=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HtmlReportBrowserLabTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path OUT = Path.of("target", "html-report");
    static final Topology FIGURE = Topology.figure125();

    static MatrixReport report;
    static Path page;
    static ChromeDriver browser;
    /** Chromium's profile: JUnit removes it after the class, so runs leave no profile behind. */
    @TempDir static Path profile;

    @BeforeAll
    static void measureWriteAndOpen() throws Exception {
        Prerequisite.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless Chromium at " + CHROMIUM + " and " + CHROMEDRIVER + " (bin/setup-packages --install: chromium chromium-driver)");
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Lab.cleanupLeftovers(System.err);
        try (Lab lab = Lab.builder(FIGURE).nameSource(NameSource.FILES).start()) {
            MatrixReport base = new MatrixRunner(lab, MatrixRunner.Options.defaults(), null)
                    .run(List.of(Transport.TCP), List.of(Variant.BOOK, Variant.ALL), null);
            JdkMatrix.Options d = JdkMatrix.Options.defaults(Duration.ofMillis(500));
            JdkMatrix.Options o = new JdkMatrix.Options(d.jdk(), List.of(JdkSetting.DEFAULT), List.of(JdkSetting.PREFER_IPV4_STACK),
                    d.udpTimeout(), d.tcpTimeout(), d.servedTimeout(), d.portOffset());
            report = JdkMatrix.extend(lab, base, o, null);
        }
        Files.createDirectories(OUT);
        Path json = OUT.resolve("matrix.json");
        JsonReport.write(report, json);
        page = OUT.resolve("matrix.html");
        HtmlReport.write(report, page);
        // the page from the --json file is the same page: one model, two outputs
        assertEquals(Files.readString(page, StandardCharsets.UTF_8), HtmlReport.render(new ObjectMapper().readTree(json.toFile())));

        // Selenium Manager looks drivers up on the network unless the driver is named
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(OUT.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1600,1200", "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(service, options);
        browser.get(page.toAbsolutePath().toUri().toString());
    }

    @AfterAll
    static void close() {
        if (browser != null) browser.quit();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebElement table(MatrixReport.Table t) {
        return browser.findElement(By.cssSelector("table.grid[data-transport='" + t.transport().id() + "'][data-variant='"
                + t.variant().id() + "']"));
    }

    private static void selectTab(MatrixReport.Table t) {
        browser.findElement(By.cssSelector("section[data-transport='" + t.transport().id() + "'] .tabs button[data-variant='"
                + t.variant().id() + "']")).click();
        assertTrue(table(t).isDisplayed(), t.title());
    }

    private static Set<String> jdkRows(MatrixReport.Table t) {
        Set<String> native_ = new HashSet<>();
        FIGURE.clients().forEach(c -> native_.add(c.id()));
        Set<String> out = new HashSet<>();
        for (MatrixReport.Row r : t.rows()) if (!native_.contains(r.id())) out.add(r.id());
        return out;
    }

    @Test
    @Order(1)
    void thePageRanAndFetchedNothing() {
        assertEquals("true", browser.findElement(By.tagName("body")).getDomAttribute("data-ready"), "the page's script finished");
        assertEquals(0L, ((Number) js("return performance.getEntriesByType('resource').length")).longValue(),
                "the page loaded something: " + js("return JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))"));
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void everyCellIsDrawnWithItsOutcomeAndTheDifferingOnesAreMarked() {
        int differing = 0;
        for (MatrixReport.Table t : report.tables()) {
            List<Map<String, Object>> drawn = (List<Map<String, Object>>) js("return [...arguments[0].querySelectorAll('td.cell')]"
                    + ".map(td => ({row: td.dataset.row, column: td.dataset.column, outcome: td.dataset.outcome,"
                    + " differs: td.classList.contains('differs'), mark: td.querySelector('.mark') !== null,"
                    + " text: td.querySelector('.measured').textContent}))", table(t));
            assertEquals(t.rows().size() * t.columns().size(), t.cells().size(), t.title());
            assertEquals(t.cells().size(), drawn.size(), "cells drawn in " + t.title());
            for (int i = 0; i < drawn.size(); i++) {
                Map<String, Object> d = drawn.get(i);
                MatrixReport.Cell c = t.cell((String) d.get("row"), (String) d.get("column"));
                String where = t.title() + ": " + c.row() + " x " + c.column();
                assertEquals(c.outcome().name(), d.get("outcome"), where);
                assertEquals(c.text(), d.get("text"), where);
                assertEquals(c.differsFromBook(), d.get("differs"), where);
                assertEquals(c.differsFromBook(), d.get("mark"), where);
                if (c.differsFromBook()) differing++;
            }
            assertEquals(t.differences().size(), table(t).findElement(By.xpath("..")).findElements(By.cssSelector("ol.differences li")).size(),
                    "one line per differing cell under " + t.title());
        }
        assertTrue(differing > 0, "the all variant's looping client reaches the book's (no)* cell: a differing cell to show");
    }

    @Test
    @Order(3)
    void aClickShowsThatCellsEvidence() throws Exception {
        MatrixReport.Table all = report.tables().stream().filter(t -> t.variant() == Variant.ALL).findFirst().orElseThrow();
        MatrixReport.Cell c = all.differences().stream().filter(x -> x.attempts().size() > 1).findFirst()
                .orElse(all.differences().get(0));
        selectTab(all);
        WebElement evidence = browser.findElement(By.id("evidence"));
        assertFalse(evidence.isDisplayed(), "no evidence before a click");
        table(all).findElement(By.cssSelector("td[data-row='" + c.row() + "'][data-column='" + c.column() + "']")).click();
        assertTrue(evidence.isDisplayed(), "the click opens the evidence");
        assertEquals(c.row(), evidence.getDomAttribute("data-row"));
        assertEquals(c.column(), evidence.getDomAttribute("data-column"));
        String text = evidence.getDomProperty("textContent");
        assertTrue(text.contains(c.lookup().name()), text);
        for (Lookup.Resolved a : c.lookup().addresses()) assertTrue(text.contains(a.address()), a.address() + " in\n" + text);
        assertEquals(c.attempts().size(), evidence.findElements(By.cssSelector("section.attempt")).size(), text);
        for (MatrixReport.Attempt a : c.attempts()) {
            assertTrue(text.contains(a.outcome()), "attempt " + a.index() + " " + a.outcome() + " in\n" + text);
            if (a.serverPeer() != null) assertTrue(text.contains(a.serverPeer()), "the server's view " + a.serverPeer() + " in\n" + text);
            for (String counter : a.wire().deltas().keySet()) assertTrue(text.contains(counter), counter + " in\n" + text);
        }
        assertNotNull(c.explanation());
        assertTrue(text.contains(c.explanation().substring(0, Math.min(60, c.explanation().length()))), text);
        screenshot("matrix.png");
    }

    @Test
    @Order(4)
    void theJdkToggleHidesAndShowsTheJdksRowsAndColumns() throws Exception {
        MatrixReport.Table first = report.tables().get(0);
        Set<String> jdk = jdkRows(first);
        assertFalse(jdk.isEmpty(), "the first table carries the JDK's rows");
        assertTrue(first.columns().size() > FIGURE.servers().size(), "and its columns");
        selectTab(first);
        String visible = "return [...arguments[0].querySelectorAll('td.cell')].filter(td => td.offsetParent !== null).length";
        assertEquals(first.cells().size(), ((Number) js(visible, table(first))).intValue(), "everything shown at first");
        screenshot("matrix-with-jdk.png");
        WebElement toggle = browser.findElement(By.id("show-jdk"));
        toggle.click();
        assertFalse(toggle.isSelected());
        assertEquals(FIGURE.clients().size() * FIGURE.servers().size(), ((Number) js(visible, table(first))).intValue(),
                "only Figure 12.5's own cells with the JDK hidden");
        for (String row : jdk) {
            assertFalse(table(first).findElement(By.cssSelector("tr[data-row='" + row + "']")).isDisplayed(), row);
        }
        assertTrue(table(first).findElement(By.cssSelector("tr[data-row='" + FIGURE.clients().get(0).id() + "']")).isDisplayed());
        screenshot("matrix-without-jdk.png");
        toggle.click();
        assertEquals(first.cells().size(), ((Number) js(visible, table(first))).intValue(), "everything shown again");
    }

    /** The whole page, as the test artifact a reader looks at. */
    private static void screenshot(String name) throws java.io.IOException {
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(1600, (int) Math.min(6000, Math.max(1200, height + 120))));
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), OUT.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1600, 1200));
    }
}
