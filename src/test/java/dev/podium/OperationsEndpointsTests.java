package dev.podium;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and API users reach on the application's port without a separate
 * management port (a laptop's start): health probes and the API description for everyone,
 * health details and metrics for operators only.
 */
@PodiumTest
class OperationsEndpointsTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void healthHasLivenessAndReadinessGroupsOpenToProbes() {
		assertThat(this.mvc.get().uri("/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("UP");
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatusOk();
	}

	@Test
	void healthDetailsAreForOperators() {
		assertThat(TestSupport.bodyOf(this.mvc.get().uri("/actuator/health").exchange())).doesNotContain("components")
			.doesNotContain("db");
		assertThat(TestSupport.bodyOf(operator("/actuator/health"))).contains("\"components\"", "\"db\"");
	}

	@Test
	void metricsAndInfoAreForOperators() {
		for (String endpoint : new String[] { "/actuator/prometheus", "/actuator/info", "/actuator" }) {
			assertThat(this.mvc.get().uri(endpoint)).as(endpoint)
				.hasStatus(401)
				.bodyJson()
				.extractingPath("$.type")
				.isEqualTo("https://podium.dev/problems/unauthorized");
		}
		MvcTestResult metrics = operator("/actuator/prometheus");
		assertThat(metrics).hasStatusOk();
		assertThat(TestSupport.bodyOf(metrics)).contains("podium_budget_limit", "podium_submissions_waiting",
				"podium_alerts_sent");
		assertThat(operator("/actuator/info")).hasStatusOk();
	}

	@Test
	void otherRolesGetNoMetrics() {
		TestSupport api = new TestSupport(this.mvc);
		String organizer = com.jayway.jsonpath.JsonPath.read(TestSupport.require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, TestSupport.bearer(TestSupport.ADMIN_TOKEN))
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.content("{\"name\":\"metrics-organizer\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201), "$.token");
		assertThat(api.get(organizer, "/actuator/prometheus")).hasStatus(403);
		assertThat(TestSupport.bodyOf(api.get(organizer, "/actuator/health"))).doesNotContain("components");
	}

	@Test
	void theOpenApiDocumentDescribesEveryEndpointWithItsErrors() {
		var document = this.mvc.get().uri("/v3/api-docs").exchange();
		assertThat(document).hasStatusOk();
		String body = TestSupport.bodyOf(document);
		assertThat(body).contains("/api/competitions/{competition}/tasks/{task}/submissions", "/api/budget",
				"/api/submissions/{id}", "/api/sandboxes/{sandbox}/job", "\"429\"", "\"bearer\"");
	}

	private MvcTestResult operator(String uri) {
		return this.mvc.get()
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, TestSupport.bearer(TestSupport.ADMIN_TOKEN))
			.exchange();
	}

}
