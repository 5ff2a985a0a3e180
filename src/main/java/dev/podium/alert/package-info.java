/**
 * Alerts for operators: raised within the transaction of what they report, delivered to
 * webhooks durably and with retries, apart from the scheduler.
 */
package dev.podium.alert;
