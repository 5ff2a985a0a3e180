/**
 * The Hugging Face Hub as a sandbox platform: {@link dev.podium.sandbox.hub.HubClient}
 * speaks the Hub's HTTP API (Spaces, secrets, commits, runtime, model checks) and keeps
 * Podium a polite client: under the announced API quota, retrying only what is safe to
 * retry, and deferring instead of blocking when the Hub asks for a long pause.
 */
package dev.podium.sandbox.hub;
