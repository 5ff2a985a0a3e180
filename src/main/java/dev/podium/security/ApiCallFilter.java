package dev.podium.security;

import jakarta.servlet.Filter;

/**
 * A filter that another module puts into the API's security chains (the accounts' and the
 * sandboxes'): it runs once the caller is known and before any authorization decision, so
 * that it can refuse a call before anything is read or written. Such a filter must not
 * also be registered with the servlet container.
 */
public interface ApiCallFilter extends Filter {

}
