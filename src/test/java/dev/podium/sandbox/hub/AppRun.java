package dev.podium.sandbox.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link FakeHub}, playing a Space's evaluation app, did against Podium's
 * sandbox API: one run per boot of a Space that had a callback URL and a sandbox token.
 */
public final class AppRun {

	private final String space;

	private final List<Call> calls = new ArrayList<>();

	private boolean finished;

	private String error;

	AppRun(String space) {
		this.space = space;
	}

	/**
	 * One call of the app.
	 *
	 * @param status the answer's status; 0 when none came (refused, timed out)
	 */
	public record Call(String method, String url, int status) {
	}

	/** {@code namespace/name} of the Space that ran. */
	public String space() {
		return this.space;
	}

	public synchronized List<Call> calls() {
		return List.copyOf(this.calls);
	}

	/** The status of {@code GET {callback}/job}; 0 before it answered. */
	public synchronized int jobStatus() {
		return this.calls.stream()
			.filter((call) -> call.method().equals("GET") && call.url().endsWith("/job"))
			.mapToInt(Call::status)
			.findFirst()
			.orElse(0);
	}

	/** The calls that handed in predictions or failures, in order. */
	public synchronized List<Call> reports() {
		return this.calls.stream()
			.filter((call) -> call.url().endsWith("/predictions") || call.url().endsWith("/failure"))
			.toList();
	}

	public synchronized boolean finished() {
		return this.finished;
	}

	/** Why the run stopped early, or {@code null}. */
	public synchronized String error() {
		return this.error;
	}

	synchronized void record(String method, String url, int status) {
		this.calls.add(new Call(method, url, status));
	}

	synchronized void finish(String error) {
		this.error = error;
		this.finished = true;
	}

	@Override
	public synchronized String toString() {
		return "AppRun[" + this.space + ", " + this.calls + ((this.error != null) ? ", " + this.error : "") + "]";
	}

}
