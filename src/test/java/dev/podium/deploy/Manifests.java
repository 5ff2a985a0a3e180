package dev.podium.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes objects of a rendered chart, and a small navigation over their YAML
 * trees.
 */
final class Manifests {

	private final List<Map<String, Object>> objects;

	private Manifests(List<Map<String, Object>> objects) {
		this.objects = objects;
	}

	@SuppressWarnings("unchecked")
	static Manifests parse(String multiDocumentYaml) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(multiDocumentYaml)) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return new Manifests(objects);
	}

	List<String> kinds() {
		return this.objects.stream().map((object) -> (String) object.get("kind")).toList();
	}

	/** The only object of a kind. */
	Map<String, Object> one(String kind) {
		List<Map<String, Object>> found = all(kind);
		if (found.size() != 1) {
			throw new AssertionError("Expected one " + kind + " but found " + found.size() + " in " + kinds());
		}
		return found.get(0);
	}

	Map<String, Object> named(String kind, String name) {
		return find(kind, name)
			.orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " in " + kinds()));
	}

	Optional<Map<String, Object>> find(String kind, String name) {
		return all(kind).stream().filter((object) -> name.equals(at(object, "metadata", "name"))).findFirst();
	}

	List<Map<String, Object>> all(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
	}

	/** The Deployment's only container. */
	Map<String, Object> container() {
		return map(at(one("Deployment"), "spec", "template", "spec", "containers", 0));
	}

	/**
	 * Follows map keys (strings) and list indexes (integers) from a node; fails on a
	 * missing step.
	 */
	static Object at(Object node, Object... path) {
		Object current = node;
		for (Object step : path) {
			if (step instanceof Integer index && current instanceof List<?> list && index < list.size()) {
				current = list.get(index);
			}
			else if (step instanceof String key && current instanceof Map<?, ?> map && map.containsKey(key)) {
				current = map.get(key);
			}
			else {
				throw new AssertionError("No '" + step + "' in " + current);
			}
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object node) {
		return (Map<String, Object>) node;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> maps(Object node) {
		return (List<Map<String, Object>>) node;
	}

	@SuppressWarnings("unchecked")
	static List<String> strings(Object node) {
		return (List<String>) node;
	}

}
