/**
 * Alerts for operators, raised within the transaction of what they report, and every
 * other message Podium sends on (a team's webhook, a participant's mail): delivered
 * durably and with retries, apart from the scheduler.
 */
package dev.podium.alert;
