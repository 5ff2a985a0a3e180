/**
 * Telling teams when their submissions are done: a team's signed webhook and each
 * participant's own mail address, both delivered durably by the alert dispatcher.
 */
package dev.podium.notification;
