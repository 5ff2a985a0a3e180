package dev.podium.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.podium.MutableClock;
import dev.podium.evaluation.EvaluationScheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * What every browser test of the dashboard shares: one headless Chromium per class, and
 * before each test a fresh day, a signed-out laptop-sized window and no console errors
 * left over.
 */
abstract class BrowserTest {

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	DashboardFixtures fixtures;

	@BeforeAll
	static void startBrowser() {
		browser = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void freshBrowserAndDay() {
		this.fixtures = new DashboardFixtures(this.mvc, this.jdbc, this.clock, this.scheduler);
		this.fixtures.freshDay();
		browser.baseUrl(this.port);
		browser.leave();
		browser.resize(Browser.LAPTOP);
		browser.forgetSession();
		browser.consoleErrors();
	}

}
