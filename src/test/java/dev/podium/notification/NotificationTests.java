package dev.podium.notification;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.podium.KnownSecrets;
import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.WebhookReceiver;
import dev.podium.WebhookReceiver.Received;
import dev.podium.alert.AlertDispatcher;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.security.SecretBox;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Teams told when their submissions are done, as they observe it: a signed POST at their
 * webhook from a real HTTP server's point of view, and a mail in a real SMTP server's
 * inbox (GreenMail).
 */
@PodiumTest
class NotificationTests {

	static WebhookReceiver receiver;

	static GreenMail smtp;

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) throws IOException {
		receiver = WebhookReceiver.start();
		smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
		registry.add("podium.alerts.mail-from", () -> "Podium <podium@challenge.example.org>");
		registry.add("podium.alerts.poll-interval", () -> "1h");
		registry.add("podium.notifications.webhook-allowed-hosts", () -> "127.0.0.1");
		registry.add("podium.public-url", () -> "https://podium.example.org/");
	}

	@AfterAll
	static void stopServers() {
		receiver.close();
		smtp.stop();
	}

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	AlertDispatcher dispatcher;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SecretBox secrets;

	TestSupport api;

	String competition;

	String alice;

	String bob;

	String carol;

	static int competitions;

	@BeforeEach
	void aCompetitionWithATeamAndASoloParticipant() throws Exception {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from alert_deliveries");
		receiver.reset();
		smtp.purgeEmailFromAllMailboxes();
		this.api = new TestSupport(this.mvc);
		this.competition = "told-" + (++competitions);
		this.api.createCompetition(this.competition, """
				{"slug":"t","title":"Sentiment","submissionKind":"FILE","evaluation":"INLINE",
				 "metric":"accuracy_score"}
				""");
		this.api.uploadSolution(this.competition, "t", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
		this.bob = this.api.addParticipant(this.competition, "bob");
		this.carol = this.api.addParticipant(this.competition, "carol");
		TestSupport.require(this.mvc.post()
			.uri("/api/competitions/{c}/teams", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Team Ada\",\"members\":[\"alice\",\"bob\"]}")
			.exchange(), 201);
	}

	@Test
	void aTeamsWebhookReceivesItsScoredSubmissionSignedWithTheSecretShownOnce() throws Exception {
		String url = receiverUrl("/podium/ada");
		String set = TestSupport.require(put(this.bob, "/api/me/notifications/webhook", "{\"url\":\"" + url + "\"}"),
				200);
		String secret = TestSupport.issued(JsonPath.read(set, "$.webhook.secret"));
		assertThat(secret).startsWith("whsec_");
		String shown = TestSupport.require(this.api.get(this.alice, "/api/me/notifications"), 200);
		assertThat(JsonPath.<String>read(shown, "$.webhook.url")).isEqualTo(url);
		assertThat(shown).doesNotContain("secret").doesNotContain(secret.substring(6));

		String id = this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.api.submitFileId(this.carol, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();

		assertThat(receiver.received()).as("one event, Team Ada's; carol's team has no webhook").hasSize(1);
		Received event = receiver.received().get(0);
		assertThat(event.path()).isEqualTo("/podium/ada");
		assertThat(event.header("webhook-signature")).as("signed with the team's secret, Standard Webhooks")
			.isEqualTo(event.expectedSignature(secret));
		assertThat(JsonPath.<String>read(event.body(), "$.type")).isEqualTo("submission.scored");
		assertThat(JsonPath.<String>read(event.body(), "$.id")).isEqualTo(id);
		assertThat(JsonPath.<String>read(event.body(), "$.competition")).isEqualTo(this.competition);
		assertThat(JsonPath.<String>read(event.body(), "$.task")).isEqualTo("t");
		assertThat(JsonPath.<String>read(event.body(), "$.status")).isEqualTo("SCORED");
		assertThat(JsonPath.<String>read(event.body(), "$.team")).isEqualTo("Team Ada");
		assertThat(JsonPath.<String>read(event.body(), "$.submittedBy")).isEqualTo("alice");
		assertThat(JsonPath.<Double>read(event.body(), "$.publicScore")).isEqualTo(0.8);
		assertThat(event.body()).as("the private score is hidden until the task reveals it")
			.doesNotContain("privateScore");
		assertThat(JsonPath.<String>read(event.body(), "$.link")).isEqualTo("https://podium.example.org/me#task-t");

		String after = TestSupport.require(this.api.get(this.bob, "/api/me/notifications"), 200);
		assertThat(JsonPath.<String>read(after, "$.webhook.lastDelivery.type")).isEqualTo("submission.scored");
		assertThat(JsonPath.<String>read(after, "$.webhook.lastDelivery.deliveredAt")).isNotNull();
	}

	@Test
	void aFailedSubmissionIsReportedWithItsCategoryAndMessage() throws Exception {
		put(this.carol, "/api/me/notifications/webhook", "{\"url\":\"" + receiverUrl("/carol") + "\"}");
		String id = this.api.submitFileId(this.carol, this.competition, "t", PREDICTIONS);
		// the solution changed after the submission was checked: its ids no longer match
		this.api.uploadSolution(this.competition, "t", SOLUTION.replace("9,0,private", "10,0,private"));
		this.scheduler.runOnce();
		assertThat(JsonPath
			.<String>read(TestSupport.require(this.api.get(this.carol, "/api/submissions/{id}", id), 200), "$.status"))
			.isEqualTo("FAILED");
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).hasSize(1);
		String body = receiver.received().get(0).body();
		assertThat(JsonPath.<String>read(body, "$.type")).isEqualTo("submission.failed");
		assertThat(JsonPath.<String>read(body, "$.id")).isEqualTo(id);
		assertThat(JsonPath.<String>read(body, "$.status")).isEqualTo("FAILED");
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("SUBMISSION");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).startsWith("invalid predictions");
		assertThat(body).doesNotContain("publicScore");
	}

	@Test
	void aNotificationThatCannotBeQueuedNeverCostsTheOutcome() {
		// a row no request could write: its URL does not parse
		UUID carol = this.jdbc.queryForObject(
				"select id from accounts where name = 'carol' and competition_id = (select id from competitions "
						+ "where slug = ?)",
				UUID.class, this.competition);
		this.jdbc.update("""
				insert into entrant_webhooks (entrant_id, competition_id, url, secret_sealed, registered_at,
				                              registered_by)
				select ?, competition_id, 'http://127.0.0.1/ not a url', '\\x00'::bytea, now(), ? from accounts
				where id = ?
				""", carol, carol, carol);
		String id = this.api.submitFileId(this.carol, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(JsonPath
			.<String>read(TestSupport.require(this.api.get(this.carol, "/api/submissions/{id}", id), 200), "$.status"))
			.isEqualTo("SCORED");
		assertThat(this.jdbc.queryForObject("select count(*) from alert_deliveries", Integer.class)).isZero();
	}

	@Test
	void aHostThatDoesNotResolveAtItsTurnIsTriedAgainNotGivenUp() {
		// set while it resolved; ".invalid" never does (RFC 6761)
		UUID carol = this.jdbc.queryForObject(
				"select id from accounts where name = 'carol' and competition_id = (select id from competitions "
						+ "where slug = ?)",
				UUID.class, this.competition);
		this.jdbc.update("""
				insert into entrant_webhooks (entrant_id, competition_id, url, secret_sealed, registered_at,
				                              registered_by)
				select ?, competition_id, 'https://hooks.podium-test.invalid/carol', ?, now(), ? from accounts
				where id = ?
				""", carol, this.secrets.seal("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", carol), carol,
				carol);
		this.api.submitFileId(this.carol, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();
		Map<String, Object> delivery = this.jdbc
			.queryForMap("select attempts, failed_at, last_error from alert_deliveries");
		assertThat(delivery.get("failed_at")).as("not given up").isNull();
		assertThat(delivery.get("attempts")).isEqualTo(1);
		assertThat(delivery.get("last_error")).isEqualTo("Unresolved");
	}

	@Test
	void aReceiverThatFailsGetsTheSameDeliveryAgainLater() throws Exception {
		put(this.alice, "/api/me/notifications/webhook", "{\"url\":\"" + receiverUrl("/flaky") + "\"}");
		receiver.failNext(1);
		this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).as("not retried before its backoff").hasSize(1);
		this.clock.advance(Duration.ofMinutes(1));
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).hasSize(2);
		assertThat(receiver.received().get(1).header("webhook-id"))
			.isEqualTo(receiver.received().get(0).header("webhook-id"));
		this.clock.advance(Duration.ofHours(1));
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).as("delivered once it succeeded").hasSize(2);
	}

	@Test
	void aWebhookRemovedOrReplacedBeforeItsTurnReceivesNothingMore() throws Exception {
		put(this.alice, "/api/me/notifications/webhook", "{\"url\":\"" + receiverUrl("/old") + "\"}");
		this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		put(this.bob, "/api/me/notifications/webhook", "{\"url\":\"" + receiverUrl("/new") + "\"}");
		this.api.submitFileId(this.alice, this.competition, "t", TestSupport.PREDICTIONS.replace("9,1", "9,0"));
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).extracting(Received::path).containsExactly("/new");
		assertThat(this.jdbc.queryForObject(
				"select last_error from alert_deliveries where url like '%/old' and failed_at is not null",
				String.class))
			.contains("changed its webhook");

		assertThat(this.mvc.delete()
			.uri("/api/me/notifications/webhook")
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.exchange()).hasStatus(204);
		this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();
		assertThat(receiver.received()).hasSize(1);
		assertThat(TestSupport.require(this.api.get(this.bob, "/api/me/notifications"), 200))
			.doesNotContain("\"webhook\"");
	}

	@Test
	void theSubmitterIsMailedTheOutcomeAndTheirTeammatesAreNot() throws Exception {
		KnownSecrets.register("alice.ada@example.org");
		put(this.alice, "/api/me/notifications/email", "{\"address\":\"alice.ada@example.org\"}");
		put(this.bob, "/api/me/notifications/email", "{\"address\":\"bob.ada@example.org\"}");
		String id = this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();

		MimeMessage[] mails = smtp.getReceivedMessages();
		assertThat(mails).hasSize(1);
		MimeMessage mail = mails[0];
		assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
			.containsExactly("alice.ada@example.org");
		assertThat(mail.getFrom()[0].toString()).contains("podium@challenge.example.org");
		assertThat(mail.getSubject())
			.isEqualTo("Test " + this.competition + " / Sentiment: your submission scored 0.8");
		String text = GreenMailUtil.getBody(mail);
		assertThat(text).contains(id)
			.contains("SCORED")
			.contains("Public score:  0.8")
			.contains("https://podium.example.org/me#task-t")
			.doesNotContain("Private score");
		String shown = TestSupport.require(this.api.get(this.alice, "/api/me/notifications"), 200);
		assertThat(JsonPath.<String>read(shown, "$.email")).isEqualTo("alice.ada@example.org");
		assertThat(JsonPath.<Boolean>read(shown, "$.mailEnabled")).isTrue();
	}

	@Test
	void aRemovedAddressIsMailedNoMore() throws Exception {
		put(this.carol, "/api/me/notifications/email", "{\"address\":\"carol@example.org\"}");
		assertThat(this.mvc.delete()
			.uri("/api/me/notifications/email")
			.header(HttpHeaders.AUTHORIZATION, bearer(this.carol))
			.exchange()).hasStatus(204);
		this.api.submitFileId(this.carol, this.competition, "t", PREDICTIONS);
		this.scheduler.runOnce();
		this.dispatcher.deliverDue();
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://hooks.example.org/podium", "https://localhost/hook", "https://127.0.0.2/hook",
			"https://169.254.169.254/latest/meta-data", "https://10.0.0.5/hook", "https://192.168.1.1/",
			"https://[::1]/hook", "https://[::ffff:10.0.0.1]/hook", "https://[fd00::1]/hook",
			"https://user:password@hooks.example.org/", "ftp://hooks.example.org/", "/relative/hook", "not a url",
			"https://0.0.0.0/", "https://100.64.0.1/", "https://[64:ff9b::a00:1]/hook" })
	void aWebhookOffThePublicInternetIsRefusedAndNothingIsKept(String url) throws Exception {
		MvcTestResult refused = put(this.alice, "/api/me/notifications/webhook", "{\"url\":\"" + url + "\"}");
		assertThat(refused).hasStatus(400)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-webhook");
		assertThat(TestSupport.require(this.api.get(this.alice, "/api/me/notifications"), 200))
			.doesNotContain("\"webhook\"");
	}

	@Test
	void aWebhookOnAPublicAddressIsKept() throws Exception {
		String set = TestSupport.require(
				put(this.alice, "/api/me/notifications/webhook", "{\"url\":\"https://93.184.215.14/podium\"}"), 200);
		TestSupport.issued(JsonPath.read(set, "$.webhook.secret"));
		assertThat(JsonPath.<String>read(TestSupport.require(this.api.get(this.bob, "/api/me/notifications"), 200),
				"$.webhook.url"))
			.isEqualTo("https://93.184.215.14/podium");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Ada <ada@example.org>", "ada@localhost", "ada@example.org, eve@example.org",
			"ada@example.org\\r\\nBcc: eve@example.org", "ada", "" })
	void anAddressThatIsNotOnePlainAddressIsRefused(String address) throws Exception {
		assertThat(put(this.alice, "/api/me/notifications/email", "{\"address\":\"" + address + "\"}")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-email");
		assertThat(TestSupport.require(this.api.get(this.alice, "/api/me/notifications"), 200))
			.doesNotContain("\"email\"");
	}

	@Test
	void organizersHaveNoTeamToBeToldAbout() {
		assertThat(put(ADMIN_TOKEN, "/api/me/notifications/webhook", "{\"url\":\"" + receiverUrl("/x") + "\"}"))
			.hasStatus(403);
	}

	private static String receiverUrl(String path) {
		return receiver.url(path);
	}

	private MvcTestResult put(String token, String uri, String json) {
		return this.mvc.put()
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

}
