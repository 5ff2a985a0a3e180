package dev.podium;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and API users reach without a token: health probes and the API
 * description.
 */
@PodiumTest
class OperationsEndpointsTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void healthHasLivenessAndReadinessGroups() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("UP");
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/info")).hasStatusOk();
	}

	@Test
	void theOpenApiDocumentDescribesEveryEndpointWithItsErrors() {
		var document = this.mvc.get().uri("/v3/api-docs").exchange();
		assertThat(document).hasStatusOk();
		String body = TestSupport.bodyOf(document);
		assertThat(body).contains("/api/competitions/{competition}/tasks/{task}/submissions", "/api/budget",
				"/api/submissions/{id}", "/api/sandboxes/{sandbox}/job", "\"429\"", "\"bearer\"");
	}

	@Test
	void prometheusShowsTheBudgetAndTheQueue() {
		var metrics = this.mvc.get().uri("/actuator/prometheus").exchange();
		assertThat(metrics).hasStatusOk();
		assertThat(TestSupport.bodyOf(metrics)).contains("podium_budget_limit", "podium_submissions_waiting",
				"podium_alerts_sent");
	}

}
