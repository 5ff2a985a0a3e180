package dev.podium.sandbox.hub;

/**
 * The Hub refused the request (a 4xx other than a rate limit): repeating it unchanged
 * would not help.
 */
public class HubRejectedException extends HubException {

	private final int status;

	private final String errorCode;

	private final String hubMessage;

	public HubRejectedException(String endpoint, int status, String errorCode, String hubMessage) {
		super("The Hub rejected %s with %d%s%s".formatted(endpoint, status,
				(errorCode != null) ? " (" + errorCode + ")" : "", (hubMessage != null) ? ": " + hubMessage : ""));
		this.status = status;
		this.errorCode = errorCode;
		this.hubMessage = hubMessage;
	}

	public int status() {
		return this.status;
	}

	/** The Hub's {@code X-Error-Code} ({@code RepoNotFound}, ...), if it sent one. */
	public String errorCode() {
		return this.errorCode;
	}

	/** The Hub's {@code error} text, with any token taken out. */
	public String hubMessage() {
		return this.hubMessage;
	}

	/** Whether the repository does not exist (or is not visible to the token). */
	public boolean isNotFound() {
		return this.status == 404 || "RepoNotFound".equals(this.errorCode);
	}

	/** Whether the owner lacks a paid plan (Docker Spaces need one). */
	public boolean isPaymentRequired() {
		return this.status == 402;
	}

}
