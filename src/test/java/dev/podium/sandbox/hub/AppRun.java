package dev.podium.sandbox.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link FakeHub}, playing a Space's evaluation app (protocol v2), did against
 * Podium's sandbox API: one run per boot of a Space that had a callback URL and a sandbox
 * token, with every call and every job it took.
 */
public final class AppRun {

	/** How a run ended. */
	public enum State {

		/** Still asking for or serving jobs. */
		SERVING,

		/** Podium answered 410: no more jobs. */
		RETIRED,

		/** Podium refused its token or did not know the sandbox (401, 403, 404). */
		REFUSED,

		/** The Space was deleted, lost, crashed or restarted under it. */
		STOPPED

	}

	private final String space;

	private final List<Call> calls = new ArrayList<>();

	private final List<Job> jobs = new ArrayList<>();

	private State state = State.SERVING;

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

	public synchronized List<Job> jobs() {
		return List.copyOf(this.jobs);
	}

	/** The calls that handed in predictions or failures, in order. */
	public synchronized List<Call> reports() {
		return this.calls.stream()
			.filter((call) -> call.url().endsWith("/predictions") || call.url().endsWith("/failure"))
			.toList();
	}

	public synchronized State state() {
		return this.state;
	}

	public synchronized boolean finished() {
		return this.state != State.SERVING;
	}

	/** Why the run stopped on an error, or {@code null}. */
	public synchronized String error() {
		return this.error;
	}

	synchronized void record(String method, String url, int status) {
		this.calls.add(new Call(method, url, status));
	}

	synchronized Job took(String jobId, String submissionId, String kind, String model, String hubToken) {
		Job job = new Job(jobId, submissionId, kind, model, hubToken);
		this.jobs.add(job);
		return job;
	}

	synchronized void finish(State state, String error) {
		this.state = state;
		this.error = error;
	}

	@Override
	public synchronized String toString() {
		return "AppRun[" + this.space + ", " + this.state + ", " + this.jobs
				+ ((this.error != null) ? ", " + this.error : "") + "]";
	}

	/** A job the app was handed, with the token that came with it. */
	public static final class Job {

		private final String jobId;

		private final String submissionId;

		private final String kind;

		private final String model;

		private final String hubToken;

		private volatile int download;

		private volatile String end;

		Job(String jobId, String submissionId, String kind, String model, String hubToken) {
			this.jobId = jobId;
			this.submissionId = submissionId;
			this.kind = kind;
			this.model = model;
			this.hubToken = hubToken;
		}

		public String jobId() {
			return this.jobId;
		}

		public String submissionId() {
			return this.submissionId;
		}

		public String kind() {
			return this.kind;
		}

		public String model() {
			return this.model;
		}

		/** The participant's read token that came with this job, or {@code null}. */
		public String hubToken() {
			return this.hubToken;
		}

		/** The Hub's status for the model's download (MODEL jobs), 0 before. */
		public int download() {
			return this.download;
		}

		/**
		 * How it ended: {@code predictions 204}, {@code failure 204}, {@code lost}, ...;
		 * {@code null} while it runs.
		 */
		public String end() {
			return this.end;
		}

		void downloaded(int status) {
			this.download = status;
		}

		void ended(String how) {
			this.end = how;
		}

		@Override
		public String toString() {
			// never the token itself
			return "Job[" + this.submissionId + ", " + this.kind + ((this.model != null) ? ", " + this.model : "")
					+ ((this.hubToken != null) ? ", with a token" : "") + ", " + this.end + "]";
		}

	}

}
