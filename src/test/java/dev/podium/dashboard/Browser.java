package dev.podium.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its own chromedriver: both paths are given,
 * so that Selenium Manager never looks for (or downloads) anything. Tests that need it
 * are skipped where it is not installed.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	static final Dimension LAPTOP = new Dimension(1280, 900);

	static final Dimension PHONE = new Dimension(390, 844);

	/** Pages refresh every second in tests: a few refreshes fit in this. */
	private static final Duration PATIENCE = Duration.ofSeconds(15);

	private final ChromeDriver driver;

	private final Path profile;

	private String baseUrl = "http://localhost";

	private Browser(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/** Whether Debian's Chromium and its driver are there. */
	static boolean installed() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	static Browser start() {
		Path profile;
		try {
			profile = Files.createTempDirectory("podium-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--hide-scrollbars", "--lang=en-US", "--user-data-dir=" + profile.toAbsolutePath());
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
		ChromeDriver driver = new ChromeDriver(options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		Browser browser = new Browser(driver, profile);
		browser.resize(LAPTOP);
		return browser;
	}

	void baseUrl(int port) {
		this.baseUrl = "http://localhost:" + port;
	}

	void open(String path) {
		this.driver.get(this.baseUrl + path);
	}

	/** The path (and query) of the page shown. */
	String path() {
		return this.driver.getCurrentUrl().substring(this.baseUrl.length());
	}

	String title() {
		return this.driver.getTitle();
	}

	String source() {
		return this.driver.getPageSource();
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	String text(String css) {
		return find(css).getText();
	}

	boolean has(String css) {
		return !findAll(css).isEmpty();
	}

	void fill(String css, String value) {
		WebElement field = find(css);
		field.clear();
		field.sendKeys(value);
	}

	void click(String css) {
		find(css).click();
	}

	/** Waits, without reloading, until the element shows the text. */
	void waitForText(String css, String text) {
		waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
	}

	void waitFor(String css) {
		waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
	}

	void waitForPath(String path) {
		waitUntil((driver) -> path().equals(path));
	}

	<T> T waitUntil(ExpectedCondition<T> condition) {
		return new WebDriverWait(this.driver, PATIENCE).until(condition);
	}

	/** Signs in through the form, as a person would. */
	void signIn(String token) {
		open("/login");
		fill("#token", token);
		click("form.form button[type=submit]");
		waitUntil((driver) -> !"/login".equals(path()));
	}

	/** Leaves the current page, so that it stops refreshing itself. */
	void leave() {
		this.driver.get("about:blank");
	}

	/** The text of an element even while hidden, as in a closed {@code <details>}. */
	String textContent(String css) {
		return find(css).getAttribute("textContent").replaceAll("\\s+", " ").strip();
	}

	/** Forgets the session, as when it expires. */
	void forgetSession() {
		this.driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
	}

	void resize(Dimension size) {
		this.driver.manage().window().setSize(size);
	}

	/** How many CSS pixels the page is wider than the window; 0 when it fits. */
	long horizontalOverflow() {
		Object overflow = ((JavascriptExecutor) this.driver)
			.executeScript("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
					+ " - document.documentElement.clientWidth;");
		return ((Number) overflow).longValue();
	}

	/** Whether the chart drew on its canvas. */
	boolean chartDrawn(String canvasCss) {
		Object drawn = ((JavascriptExecutor) this.driver).executeScript(
				"return typeof Chart !== 'undefined' && !!Chart.getChart(document.querySelector(arguments[0]));",
				canvasCss);
		return Boolean.TRUE.equals(drawn);
	}

	/**
	 * Saves the whole page, not just the window, as
	 * {@code target/screenshots/<name>.png}.
	 */
	@SuppressWarnings("unchecked")
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Map<String, Object> metrics = this.driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
			Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
			Map<String, Object> shot = this.driver.executeCdpCommand("Page.captureScreenshot",
					Map.of("format", "png", "captureBeyondViewport", true, "clip",
							Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(), "height",
									((Number) size.get("height")).doubleValue(), "scale", 1)));
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Errors the page's console reported since the last call (blocked scripts, 404s). */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException ex) {
				// a temporary directory: the system cleans it up eventually
			}
		}
	}

}
