/**
 * The Hugging Face Hub as a sandbox platform. {@link dev.podium.sandbox.hub.HubClient} is
 * the one public facade: each call answers with a sealed outcome
 * ({@link dev.podium.sandbox.hub.CreateOutcome},
 * {@link dev.podium.sandbox.hub.DeleteOutcome},
 * {@link dev.podium.sandbox.hub.RuntimeOutcome},
 * {@link dev.podium.sandbox.hub.ListOutcome},
 * {@link dev.podium.sandbox.hub.ModelOutcome}, ...) that names what the Hub meant. Below
 * it, package-private: the transport (token, timeouts, circuit breaker, no redirects),
 * the rate governor (the Hub's api bucket and Podium's own limiter), the retry policy,
 * the error reader, and the thin Spaces, models, datasets and identity calls.
 * <p>
 * A named interface: besides the sandbox provider, the import of huggingface/competitions
 * challenges reads dataset repos and checks participants' tokens through the client.
 */
@org.springframework.modulith.NamedInterface("hub")
package dev.podium.sandbox.hub;
