package dev.podium.importing;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.problem.ProblemException;
import dev.podium.sandbox.hub.HubClient;
import dev.podium.sandbox.hub.HubUser;
import dev.podium.sandbox.hub.HubUserOutcome;
import dev.podium.sandbox.hub.Refused;
import dev.podium.sandbox.hub.Unavailable;
import dev.podium.security.Accounts;
import dev.podium.security.IssuedAccount;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A participant exchanges a Hugging Face token for their Podium token: the Hub's
 * {@code whoami-v2} says whose token it is, and the user id it names is matched to the
 * participant an import made for that id. The Hub token is used for that one call: never
 * stored, logged or returned. Participants of an imported challenge who had not submitted
 * yet join as they could there (anyone with a Hub account); elsewhere only known ones
 * sign in.
 */
@Service
public class HubSignIn {

	private final Competitions competitions;

	private final Accounts accounts;

	private final ObjectProvider<HubClient> hub;

	HubSignIn(Competitions competitions, Accounts accounts, ObjectProvider<HubClient> hub) {
		this.competitions = competitions;
		this.accounts = accounts;
		this.hub = hub;
	}

	/**
	 * @param created whether the participant's account was made by this sign-in
	 */
	public record SignedIn(IssuedAccount account, HubUser hubUser, boolean created) {
	}

	public SignedIn signIn(String slug, String hubToken) {
		Competition competition = this.competitions.find(slug)
			.orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
		HubClient client = this.hub.getIfAvailable();
		if (client == null) {
			throw ProblemException.conflict("hub-not-configured",
					"This Podium does not talk to the Hugging Face Hub: ask the organizer for your token");
		}
		HubUserOutcome outcome = client.identify(hubToken);
		if (outcome instanceof HubUserOutcome.InvalidToken invalid) {
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid-hub-token", "Invalid Hub token",
					"The Hugging Face Hub did not accept this token: " + invalid.reason());
		}
		if (outcome instanceof Unavailable) {
			throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "hub-unavailable", "Hub unavailable",
					"The Hugging Face Hub could not be asked whose token this is; try again later");
		}
		if (outcome instanceof Refused refused) {
			throw new ProblemException(HttpStatus.BAD_GATEWAY, "hub-refused", "Hub refused",
					"The Hugging Face Hub refused to say whose token this is (" + refused.status() + ")");
		}
		HubUser user = ((HubUserOutcome.Identified) outcome).user();
		boolean known = this.accounts.findHubParticipant(competition.id(), user.id()).isPresent();
		IssuedAccount issued = this.accounts
			.signInWithHub(competition.id(), user.id(), user.name(), competition.importedFrom() != null)
			.orElseThrow(() -> new ProblemException(HttpStatus.FORBIDDEN, "not-a-participant", "Not a participant",
					"The Hugging Face user '" + user.name() + "' does not take part in competition '" + slug + "'"));
		return new SignedIn(issued, user, !known);
	}

}
