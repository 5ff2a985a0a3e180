package dev.podium.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.podium.deploy.Manifests.at;
import static dev.podium.deploy.Manifests.map;
import static dev.podium.deploy.Manifests.maps;
import static dev.podium.deploy.Manifests.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The Helm chart in {@code helm/podium}, linted and rendered by Helm itself (through
 * helm-java's bundled library), for the default values and for a production-like set.
 */
class HelmChartTests {

	private static final Path CHART = Path.of("helm", "podium");

	/**
	 * A production-like install: more replicas, an Ingress, monitoring, secrets by
	 * reference.
	 */
	private static final String PRODUCTION = """
			replicaCount: 3
			image:
			  repository: ghcr.io/example/podium
			  tag: "1.2.3"
			config:
			  sandbox:
			    provider: huggingface
			    maxConcurrent: 8
			  hub:
			    namespace: podium-evals
			  budget:
			    limit: 20
			    window: 24h
			ingress:
			  enabled: true
			  className: nginx
			  hosts:
			    - host: podium.example.com
			      paths:
			        - path: /
			          pathType: Prefix
			  tls:
			    - secretName: podium-tls
			      hosts:
			        - podium.example.com
			serviceMonitor:
			  enabled: true
			  labels:
			    release: kube-prometheus-stack
			postgresql:
			  host: db.example.internal
			  port: 6432
			  database: competitions
			  username: podium_app
			  existingSecret: podium-db
			  passwordKey: db-password
			  parameters: sslmode=require
			secrets:
			  hubToken:
			    existingSecret: podium-hub
			  adminToken:
			    existingSecret: podium-admin
			    key: token
			  encryptionKey:
			    existingSecret: podium-keys
			    key: encryption-key
			""";

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path temp;

	private static Manifests defaults;

	private static Manifests production;

	@BeforeAll
	static void render() {
		defaults = render("");
		production = render(PRODUCTION);
	}

	@Test
	void lintsWithoutErrorsOrWarnings() {
		LintResult result = new Helm(CHART).lint().strict().call();
		assertThat(result.getMessages()).noneMatch((message) -> message.contains("[ERROR]"))
			.noneMatch((message) -> message.contains("[WARNING]"));
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
	}

	@Test
	void rendersOneReplicaBehindAServiceByDefault() {
		assertThat(defaults.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment");
		assertThat(at(defaults.one("Deployment"), "spec", "replicas")).isEqualTo(1);
		assertThat(at(defaults.container(), "image")).isEqualTo("podium:0.1.0");
	}

	@Test
	void refusesSeveralReplicasWithoutASharedEncryptionKey() {
		assertThatIllegalStateException().isThrownBy(() -> render("replicaCount: 2\n"))
			.withMessageContaining("replicaCount is 2")
			.withMessageContaining("secrets.encryptionKey");
		Manifests shared = render("""
				replicaCount: 2
				secrets:
				  encryptionKey:
				    existingSecret: podium-keys
				""");
		assertThat(at(shared.one("Deployment"), "spec", "replicas")).isEqualTo(2);
		assertThat(at(shared.one("PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(1);
		assertThat(at(shared.one("PodDisruptionBudget"), "spec", "selector", "matchLabels"))
			.isEqualTo(at(shared.one("Deployment"), "spec", "selector", "matchLabels"));
	}

	@Test
	void givesEveryPodTheKeysThatSealedBeforeTheCurrentOne() {
		Manifests rotated = render("""
				secrets:
				  encryptionKey:
				    existingSecret: podium-keys
				    key: current
				  previousEncryptionKeys:
				    existingSecret: podium-keys
				    key: previous
				""");
		assertThat(secretReferences(rotated)).containsEntry("PODIUM_SECURITY_ENCRYPTION_KEY", "podium-keys/current")
			.containsEntry("PODIUM_SECURITY_PREVIOUS_ENCRYPTION_KEYS", "podium-keys/previous");
		assertThat(secretReferences(defaults)).doesNotContainKey("PODIUM_SECURITY_PREVIOUS_ENCRYPTION_KEYS");
	}

	@Test
	void probesAskTheActuatorHealthGroupsOnTheManagementPort() {
		Map<String, Object> container = defaults.container();
		assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
		}
		assertThat(ports(container)).containsEntry("http", 8080).containsEntry("management", 8081);
		assertThat(environment(defaults)).containsEntry("MANAGEMENT_SERVER_PORT", "8081");
		assertThat(maps(at(defaults.one("Service"), "spec", "ports"))).extracting((port) -> port.get("name"))
			.containsExactly("http", "management");
	}

	@Test
	void probesUseTheApplicationPortWhenTheActuatorSharesIt() {
		Manifests manifests = render("management:\n  port: 8080\n");
		Map<String, Object> container = manifests.container();
		assertThat(at(container, "livenessProbe", "httpGet", "port")).isEqualTo("http");
		assertThat(at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
		assertThat(ports(container)).containsOnlyKeys("http");
		// said explicitly: the image's own default is the separate port 8081
		assertThat(environment(manifests)).containsEntry("MANAGEMENT_SERVER_PORT", "8080");
		assertThatIllegalStateException()
			.isThrownBy(() -> render("management:\n  port: 8080\nserviceMonitor:\n  enabled: true\n"))
			.withMessageContaining("serviceMonitor.enabled needs management.port");
	}

	@Test
	void graceOutlastsThePreStopPauseAndTheThirtySecondDrain() {
		Map<String, Object> pod = map(at(defaults.one("Deployment"), "spec", "template", "spec"));
		int grace = (Integer) pod.get("terminationGracePeriodSeconds");
		List<String> preStop = strings(at(defaults.container(), "lifecycle", "preStop", "exec", "command"));
		assertThat(preStop).first().isEqualTo("sleep");
		int pause = Integer.parseInt(preStop.get(1));
		assertThat(pause).isPositive();
		assertThat(grace).isGreaterThan(30).isGreaterThan(pause + 30);
	}

	@Test
	void runsAsNonRootOnAReadOnlyRootFileSystem() {
		Map<String, Object> pod = map(at(defaults.one("Deployment"), "spec", "template", "spec"));
		assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
		Map<String, Object> container = defaults.container();
		assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(strings(at(container, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
		Map<String, Object> mounts = new LinkedHashMap<>();
		maps(container.get("volumeMounts")).forEach((mount) -> mounts.put((String) mount.get("mountPath"), mount));
		assertThat(mounts).containsOnlyKeys("/tmp", "/app/data");
		assertThat(maps(pod.get("volumes"))).allSatisfy((volume) -> assertThat(volume).containsKey("emptyDir"));
		assertThat(environment(defaults)).containsEntry("PODIUM_DATA_DIR", "/app/data");
	}

	@Test
	void configuresPodiumThroughAConfigMapOfEnvironmentVariables() {
		assertThat(maps(at(defaults.container(), "envFrom"))).extracting((source) -> at(source, "configMapRef", "name"))
			.containsExactly("podium");
		assertThat(environment(defaults)).containsEntry("PODIUM_SANDBOX_PROVIDER", "local")
			.containsEntry("PODIUM_SANDBOX_MAX_CONCURRENT", "4")
			.containsEntry("PODIUM_DEMO_ENABLED", "false")
			.containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
			.containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgresql:5432/podium")
			.doesNotContainKeys("PODIUM_BUDGET_LIMIT", "PODIUM_BUDGET_WINDOW", "PODIUM_HUB_NAMESPACE",
					"PODIUM_PUBLIC_URL");
		assertThat(environment(render("logging:\n  json: false\n")))
			.doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
	}

	@Test
	void readsNoSecretsWhenNoneAreConfigured() {
		assertThat(defaults.container()).doesNotContainKey("env");
		assertThat(defaults.all("Secret")).isEmpty();
	}

	@Test
	void scalesWithADisruptionBudgetThatKeepsOnePodServing() {
		assertThat(at(production.one("Deployment"), "spec", "replicas")).isEqualTo(3);
		assertThat(at(production.one("PodDisruptionBudget"), "spec", "minAvailable")).isEqualTo(1);
		assertThat(render("replicaCount: 1\n").kinds()).doesNotContain("PodDisruptionBudget");
	}

	@Test
	void routesTheIngressHostWithTlsToTheApplicationPortOnly() {
		Map<String, Object> ingress = production.one("Ingress");
		assertThat(at(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
		assertThat(at(ingress, "spec", "rules", 0, "host")).isEqualTo("podium.example.com");
		assertThat(at(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service"))
			.isEqualTo(Map.of("name", "podium", "port", Map.of("name", "http")));
		assertThat(at(ingress, "spec", "tls", 0, "secretName")).isEqualTo("podium-tls");
		assertThat(strings(at(ingress, "spec", "tls", 0, "hosts"))).containsExactly("podium.example.com");
		assertThat(environment(production)).containsEntry("PODIUM_PUBLIC_URL", "https://podium.example.com");
	}

	@Test
	void scrapesPrometheusMetricsThroughAServiceMonitor() {
		Map<String, Object> monitor = production.one("ServiceMonitor");
		assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(at(monitor, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
		assertThat(at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
		assertThat(at(monitor, "spec", "endpoints", 0, "port")).isEqualTo("management");
		assertThat(at(monitor, "spec", "selector", "matchLabels"))
			.isEqualTo(at(production.one("Service"), "spec", "selector"));
	}

	@Test
	void connectsToTheExternalPostgresql() {
		assertThat(environment(production))
			.containsEntry("SPRING_DATASOURCE_URL",
					"jdbc:postgresql://db.example.internal:6432/competitions?sslmode=require")
			.containsEntry("SPRING_DATASOURCE_USERNAME", "podium_app");
		assertThat(secretReferences(production)).containsEntry("SPRING_DATASOURCE_PASSWORD", "podium-db/db-password");
	}

	@Test
	void takesEverySecretFromTheNamedExistingSecrets() {
		assertThat(secretReferences(production)).containsEntry("HF_TOKEN", "podium-hub/HF_TOKEN")
			.containsEntry("PODIUM_HUB_TOKEN", "podium-hub/HF_TOKEN")
			.containsEntry("PODIUM_ADMIN_TOKEN", "podium-admin/token")
			.containsEntry("PODIUM_SECURITY_ENCRYPTION_KEY", "podium-keys/encryption-key")
			.containsEntry("SPRING_DATASOURCE_PASSWORD", "podium-db/db-password");
		assertThat(production.all("Secret")).isEmpty();
		assertThat(environment(production)).doesNotContainKeys("HF_TOKEN", "PODIUM_ADMIN_TOKEN",
				"PODIUM_SECURITY_ENCRYPTION_KEY", "SPRING_DATASOURCE_PASSWORD");
	}

	@Test
	void keepsLiteralSecretValuesInASecretOfItsOwn() {
		Manifests manifests = render("""
				secrets:
				  hubToken:
				    value: hf_literal
				  adminToken:
				    existingSecret: podium-admin
				postgresql:
				  password: s3cret
				""");
		Map<String, Object> secret = manifests.named("Secret", "podium");
		Map<String, Object> data = map(secret.get("data"));
		assertThat(data).containsOnlyKeys("HF_TOKEN", "password");
		assertThat(decode(data.get("HF_TOKEN"))).isEqualTo("hf_literal");
		assertThat(decode(data.get("password"))).isEqualTo("s3cret");
		assertThat(secretReferences(manifests)).containsEntry("HF_TOKEN", "podium/HF_TOKEN")
			.containsEntry("PODIUM_HUB_TOKEN", "podium/HF_TOKEN")
			.containsEntry("SPRING_DATASOURCE_PASSWORD", "podium/password")
			.containsEntry("PODIUM_ADMIN_TOKEN", "podium-admin/PODIUM_ADMIN_TOKEN")
			.doesNotContainKey("PODIUM_SECURITY_ENCRYPTION_KEY");
		assertThat(map(at(manifests.one("Deployment"), "spec", "template", "metadata", "annotations")))
			.containsKeys("checksum/config", "checksum/secret");
	}

	@Test
	void setsTheHubAndBudgetSettingsGiven() {
		assertThat(environment(production)).containsEntry("PODIUM_SANDBOX_PROVIDER", "huggingface")
			.containsEntry("PODIUM_SANDBOX_MAX_CONCURRENT", "8")
			.containsEntry("PODIUM_HUB_NAMESPACE", "podium-evals")
			.containsEntry("PODIUM_BUDGET_NAMESPACE", "podium-evals")
			.containsEntry("PODIUM_BUDGET_LIMIT", "20")
			.containsEntry("PODIUM_BUDGET_WINDOW", "24h");
		assertThat(environment(render("config:\n  budget:\n    limit: 0\n"))).containsEntry("PODIUM_BUDGET_LIMIT", "0");
	}

	@Test
	void shipsTheGrafanaDashboardForTheSidecarWhenAsked() {
		assertThat(production.find("ConfigMap", "podium-dashboard")).isEmpty();
		Map<String, Object> dashboard = render("grafanaDashboard:\n  enabled: true\n").named("ConfigMap",
				"podium-dashboard");
		assertThat(at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
		JsonNode shipped = json.readTree((String) at(dashboard, "data", "podium-grafana.json"));
		assertThat(shipped.get("uid").asString()).isEqualTo("podium-overview");
	}

	@Test
	void dashboardChartsEveryPodiumMetric() throws IOException {
		JsonNode dashboard = json.readTree(Files.readString(CHART.resolve("dashboards/podium-grafana.json")));
		List<JsonNode> panels = dashboard.get("panels").valueStream().toList();
		String expressions = String.join("\n", panels.stream()
			.flatMap((panel) -> (panel.has("targets") ? panel.get("targets").valueStream() : Stream.<JsonNode>empty()))
			.map((target) -> target.get("expr").asString())
			.toList());
		assertThat(expressions).contains("podium_budget_limit", "podium_budget_used", "podium_budget_remaining",
				"podium_submissions_waiting", "podium_submissions_oldest_waiting_seconds",
				"podium_sandbox_create_seconds", "podium_sandbox_ready_seconds", "podium_sandbox_evaluation_seconds",
				"podium_hub_calls_total", "podium_hub_rate_limited_total", "podium_hub_retries_total",
				"resilience4j_circuitbreaker_state", "podium_alerts_sent_total", "podium_alerts_failed_total");
		assertThat(panels).extracting((panel) -> panel.get("id").asInt()).doesNotHaveDuplicates();
		assertThat(panels).allSatisfy((panel) -> assertThat(panel.get("gridPos").get("w").asInt()).isBetween(1, 24));
	}

	@Test
	void notesWarnOfWhatIsMissingAndShowWhereToReachPodium() throws IOException {
		String notes = notes("");
		assertThat(notes).contains("port-forward service/podium 8080:80")
			.contains("no database password is configured")
			.contains("first operator token");
		String productionNotes = notes(PRODUCTION);
		assertThat(productionNotes).contains("https://podium.example.com").doesNotContain("WARNING");
		assertThat(notes("config:\n  sandbox:\n    provider: huggingface\n")).contains("no Hub token is configured")
			.contains("config.hub.namespace is empty")
			.contains("Podium has no public URL");
	}

	private static Manifests render(String values) {
		return Manifests.parse(template(CHART, values));
	}

	private static String template(Path chart, String values) {
		try {
			Path file = Files.writeString(temp.resolve("values-" + UUID.randomUUID() + ".yaml"), values);
			return new Helm(chart).template()
				.withName("podium")
				.withNamespace("competitions")
				.withValuesFile(file)
				.call();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * NOTES.txt as {@code helm install} would print it: {@code helm template} leaves it
	 * out, so a copy of the chart renders it into a ConfigMap.
	 */
	private static String notes(String values) throws IOException {
		Path copy = temp.resolve("chart-" + UUID.randomUUID());
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path source : files.toList()) {
				Files.copy(source, copy.resolve(CHART.relativize(source).toString()));
			}
		}
		Files.move(copy.resolve("templates/NOTES.txt"), copy.resolve("notes.txt"));
		Files.writeString(copy.resolve("templates/notes.yaml"), """
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: notes
				data:
				  notes: {{ tpl (.Files.Get "notes.txt") . | quote }}
				""");
		return (String) at(Manifests.parse(template(copy, values)).named("ConfigMap", "notes"), "data", "notes");
	}

	/** The variables the ConfigMap gives the container. */
	private static Map<String, Object> environment(Manifests manifests) {
		String name = (String) at(manifests.container(), "envFrom", 0, "configMapRef", "name");
		return map(at(manifests.named("ConfigMap", name), "data"));
	}

	/** Each variable taken from a Secret, as {@code secret/key}. */
	private static Map<String, String> secretReferences(Manifests manifests) {
		Map<String, String> references = new LinkedHashMap<>();
		Object env = manifests.container().get("env");
		for (Map<String, Object> variable : (env != null) ? maps(env) : List.<Map<String, Object>>of()) {
			if (variable.get("valueFrom") != null) {
				Map<String, Object> ref = map(at(variable, "valueFrom", "secretKeyRef"));
				references.put((String) variable.get("name"), ref.get("name") + "/" + ref.get("key"));
			}
		}
		return references;
	}

	private static Map<String, Object> ports(Map<String, Object> container) {
		Map<String, Object> ports = new LinkedHashMap<>();
		maps(container.get("ports")).forEach((port) -> ports.put((String) port.get("name"), port.get("containerPort")));
		return ports;
	}

	private static String decode(Object base64) {
		return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
	}

}
