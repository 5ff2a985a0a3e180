package dev.podium.alert;

import java.net.URI;

/**
 * The webhooks that users register (a team's), as opposed to those operators configure:
 * the module that keeps them says, just before each delivery, whether it may still be
 * sent and with which secret it is signed.
 */
public interface RegisteredWebhooks {

	/**
	 * @param signingKey the key the delivery was queued with
	 * @param url where it goes
	 */
	Check check(String signingKey, URI url);

	/** What the dispatcher does with a delivery to a registered webhook. */
	sealed interface Check {

		/** Send it, signed with this {@code whsec_} secret. */
		record Send(String secret) implements Check {

			@Override
			public String toString() {
				return "Send[secret=<redacted>]";
			}

		}

		/**
		 * Give it up, for good: the webhook was removed or changed, or its address is no
		 * longer one Podium sends to.
		 */
		record Refuse(String reason) implements Check {
		}

	}

}
