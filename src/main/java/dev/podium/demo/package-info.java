/**
 * The demo competition that a first start seeds, so that a new user has something to
 * submit to and look at.
 */
package dev.podium.demo;
