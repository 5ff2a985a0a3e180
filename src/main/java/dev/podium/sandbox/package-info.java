/**
 * The sandbox port: what a provider does with an ephemeral evaluation sandbox (create it,
 * watch it become ready, destroy it), and the callbacks through which a running sandbox
 * fetches its job and reports results. Providers live in sub-packages.
 */
package dev.podium.sandbox;
