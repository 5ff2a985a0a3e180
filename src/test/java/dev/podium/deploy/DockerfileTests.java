package dev.podium.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static dev.podium.deploy.Manifests.at;
import static dev.podium.deploy.Manifests.map;
import static dev.podium.deploy.Manifests.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cheap guards over the container files where no Docker engine can build them: the
 * Dockerfile's instructions, the compose file and the CI workflow that does build the
 * image.
 */
class DockerfileTests {

	private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");

	private static final Pattern COPY_LAYER = Pattern
		.compile("^COPY --from=build /workspace/extracted/([a-z-]+)/ \\./$", Pattern.MULTILINE);

	@Test
	void buildsWithTheWrapperAndExtractsTheLayeredJar() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		assertThat(instructions(dockerfile, "FROM")).containsExactly("eclipse-temurin:17-jdk AS build",
				"eclipse-temurin:17-jre");
		assertThat(dockerfile).contains("--mount=type=cache,target=/root/.m2")
			.contains("./mvnw -B")
			.contains("-DskipTests")
			.contains(
					"java -Djarmode=tools -jar target/podium-*.jar extract --layers --launcher --destination extracted");
	}

	@Test
	void copiesTheLayersFromLeastToMostOftenChanged() throws IOException {
		List<String> layers = new ArrayList<>();
		Matcher matcher = COPY_LAYER.matcher(Files.readString(DOCKERFILE));
		while (matcher.find()) {
			layers.add(matcher.group(1));
		}
		assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
				"application");
	}

	@Test
	void runsAsANumericNonRootUser() throws IOException {
		String runtime = runtimeStage(Files.readString(DOCKERFILE));
		List<String> users = instructions(runtime, "USER");
		assertThat(users).isNotEmpty();
		String user = users.get(users.size() - 1);
		assertThat(user).matches("\\d+(:\\d+)?");
		assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(10001);
		assertThat(runtime.indexOf("USER " + user)).as("USER comes before the ENTRYPOINT")
			.isLessThan(runtime.indexOf("ENTRYPOINT"));
	}

	@Test
	void exposesTheApplicationPortAndChecksLiveness() throws IOException {
		String runtime = runtimeStage(Files.readString(DOCKERFILE));
		assertThat(instructions(runtime, "EXPOSE")).containsExactly("8080");
		assertThat(instructions(runtime, "HEALTHCHECK")).singleElement()
			.asString()
			.contains("http://127.0.0.1:8081/actuator/health/liveness")
			.contains("wget");
		assertThat(String.join("\n", instructions(runtime, "ENV"))).contains("MANAGEMENT_SERVER_PORT=8081");
		assertThat(instructions(runtime, "ENTRYPOINT")).singleElement()
			.asString()
			.contains("org.springframework.boot.loader.launch.JarLauncher");
		assertThat(runtime).contains("MaxRAMPercentage");
	}

	@Test
	void keepsBuildOutputAndLocalDataOutOfTheContext() throws IOException {
		List<String> ignored = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(ignored).contains("target/", "data/", ".git/");
		// pom.xml packs docker/eval-space into the jar, so the build needs it.
		assertThat(ignored).noneMatch((pattern) -> pattern.startsWith("docker") || pattern.startsWith("src/main"));
	}

	@Test
	void composeRunsPodiumAgainstAHealthyPostgresql() throws IOException {
		Map<String, Object> compose = yaml(Path.of("docker", "compose.yaml"));
		Map<String, Object> services = map(compose.get("services"));
		assertThat(services).containsKeys("postgres", "podium");
		assertThat((String) at(services, "postgres", "image")).startsWith("postgres:17");
		assertThat(map(at(services, "postgres"))).containsKeys("healthcheck", "volumes");
		Map<String, Object> podium = map(services.get("podium"));
		assertThat(at(podium, "build", "dockerfile")).isEqualTo("docker/Dockerfile");
		assertThat(at(podium, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
		assertThat(map(podium.get("environment"))).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
				"SPRING_DATASOURCE_PASSWORD", "PODIUM_ADMIN_TOKEN", "PODIUM_SECURITY_ENCRYPTION_KEY");
		assertThat((String) at(podium, "environment", "SPRING_DATASOURCE_URL"))
			.startsWith("jdbc:postgresql://postgres:5432/");
		// the actuator's port stays inside the container
		assertThat(at(podium, "environment", "MANAGEMENT_SERVER_PORT")).isEqualTo("8081");
		assertThat(strings(podium.get("ports"))).containsExactly("${PODIUM_PORT:-8080}:8080");
	}

	@Test
	void ciTestsThenBuildsTheImageAndLintsTheChart() throws IOException {
		Map<String, Object> workflow = yaml(Path.of(".github", "workflows", "ci.yml"));
		Map<String, Object> jobs = map(workflow.get("jobs"));
		assertThat(jobs).containsKeys("test", "image");
		assertThat(at(jobs, "image", "needs")).isEqualTo("test");
		String image = Files.readString(Path.of(".github", "workflows", "ci.yml"));
		assertThat(image).contains("./mvnw -B verify")
			.contains("file: docker/Dockerfile")
			.contains("helm lint --strict helm/podium");
	}

	/** The arguments of each instruction of a kind, continuation lines joined. */
	private static List<String> instructions(String dockerfile, String keyword) {
		String joined = dockerfile.replaceAll("\\\\\\r?\\n\\s*", " ");
		return joined.lines()
			.map(String::strip)
			.filter((line) -> line.startsWith(keyword + " "))
			.map((line) -> line.substring(keyword.length() + 1).strip())
			.toList();
	}

	private static String runtimeStage(String dockerfile) {
		return dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(Path path) throws IOException {
		return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(path));
	}

}
