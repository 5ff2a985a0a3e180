package dev.podium.sandbox.hub;

/**
 * The Hub said no, for good: repeating the same call unchanged would not help (a 4xx that
 * is neither a rate limit nor a "not found" the outcome already names: an invalid token,
 * a missing right, a paid plan required, a flavor it does not know).
 *
 * @param status the HTTP status
 * @param errorCode the Hub's {@code X-Error-Code}, if it sent one
 * @param message the Hub's own explanation, shortened, with any token taken out
 */
public record Refused(int status, String errorCode, String message)
		implements
			CreateOutcome,
			DeleteOutcome,
			RuntimeOutcome,
			SecretOutcome,
			ListOutcome,
			ModelOutcome,
			AccessOutcome,
			IdentityOutcome,
			DatasetOutcome,
			HubUserOutcome {

	/** A line for logs and failure messages. */
	public String describe() {
		return "the Hub refused with " + this.status + ((this.errorCode != null) ? " (" + this.errorCode + ")" : "")
				+ ((this.message != null) ? ": " + this.message : "");
	}

}
