package dev.podium;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Podium as the image, compose and the Helm chart run it: the actuator on a management
 * port of its own ({@code MANAGEMENT_SERVER_PORT}), which is never published, and nothing
 * of it on the application's port.
 */
class ManagementPortTests {

	@TempDir
	Path dataDir;

	@Test
	void probesAndMetricsAreOnTheManagementPortOnly() throws Exception {
		Map<String, String> environment = PodiumProcess.on(TestDatabase.createDatabase(), this.dataDir.toString());
		environment.put("MANAGEMENT_SERVER_PORT", "0");
		try (ConfigurableApplicationContext podium = PodiumProcess.start(environment)) {
			int application = ((WebServerApplicationContext) podium).getWebServer().getPort();
			int management = Integer.parseInt(podium.getEnvironment().getProperty("local.management.port"));
			assertThat(management).isNotEqualTo(application);

			assertThat(get(management, "/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(get(management, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			HttpResponse<String> metrics = get(management, "/actuator/prometheus");
			assertThat(metrics.statusCode()).isEqualTo(200);
			assertThat(metrics.body()).contains("podium_budget_limit");

			for (String endpoint : new String[] { "/actuator/prometheus", "/actuator/health", "/actuator/info" }) {
				HttpResponse<String> answer = get(application, endpoint);
				assertThat(answer.statusCode()).as(endpoint).isEqualTo(404);
				assertThat(answer.body()).doesNotContain("podium_budget_limit").doesNotContain("UP");
			}
		}
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
