/**
 * What every HTTP request meets before a controller reads it: bounded bodies. Requests
 * are read through a stream that stops at the limit of what they are sent to
 * ({@link BodyLimit}), and a declared length over it is refused before anything is read,
 * both as 413 problems. Text is checked as it is read ({@link TextInput}): no NUL
 * characters, no fractions where whole numbers belong.
 */
package dev.podium.web;
