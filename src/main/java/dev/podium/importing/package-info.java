/**
 * Moving a running challenge over from huggingface/competitions: its competition dataset
 * repo (read from the Hub with Podium's token, or uploaded as an archive of the same
 * files) becomes a Podium competition with its rules, hidden solution, texts,
 * participants (known by their Hugging Face user ids) and submission history, in one
 * transaction; participants then sign in with a Hub token of their own.
 */
package dev.podium.importing;
