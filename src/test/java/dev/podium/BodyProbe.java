package dev.podium;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands where the network is, before every filter of Podium's: counts the body bytes
 * Podium takes from the client, and on request makes a body look chunked (no declared
 * length) or declare another length, as MockMvc cannot.
 */
public final class BodyProbe {

	private static final String UNSIZED = "X-Test-Unsized";

	private static final String DECLARED = "X-Test-Declared-Length";

	/** Bytes read from the last request's body. */
	public static final AtomicLong bytesRead = new AtomicLong();

	private BodyProbe() {
	}

	/** Sends the body without a length, as a chunked request would. */
	public static RequestPostProcessor unsized() {
		return (request) -> {
			request.addHeader(UNSIZED, "true");
			return request;
		};
	}

	/** Declares a length other than the body's (what Tomcat reports from the header). */
	public static RequestPostProcessor declaring(long length) {
		return (request) -> {
			request.addHeader(DECLARED, Long.toString(length));
			return request;
		};
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		FilterRegistrationBean<OncePerRequestFilter> bodyProbe() {
			FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
					new OncePerRequestFilter() {

						@Override
						protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
								FilterChain chain) throws ServletException, IOException {
							bytesRead.set(0);
							chain.doFilter(new Probed(request), response);
						}

					});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

	private static final class Probed extends HttpServletRequestWrapper {

		private final Long declared;

		private ServletInputStream stream;

		Probed(HttpServletRequest request) {
			super(request);
			if (request.getHeader(UNSIZED) != null) {
				this.declared = -1L;
			}
			else if (request.getHeader(DECLARED) != null) {
				this.declared = Long.parseLong(request.getHeader(DECLARED));
			}
			else {
				this.declared = null;
			}
		}

		@Override
		public int getContentLength() {
			return (this.declared != null) ? (int) Math.min(Integer.MAX_VALUE, this.declared)
					: super.getContentLength();
		}

		@Override
		public long getContentLengthLong() {
			return (this.declared != null) ? this.declared : super.getContentLengthLong();
		}

		@Override
		public String getHeader(String name) {
			if (this.declared != null && "Content-Length".equalsIgnoreCase(name)) {
				return (this.declared >= 0) ? Long.toString(this.declared) : null;
			}
			return super.getHeader(name);
		}

		@Override
		public synchronized ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				ServletInputStream body = super.getInputStream();
				this.stream = new ServletInputStream() {

					@Override
					public int read() throws IOException {
						int read = body.read();
						if (read >= 0) {
							bytesRead.incrementAndGet();
						}
						return read;
					}

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int read = body.read(buffer, offset, length);
						if (read > 0) {
							bytesRead.addAndGet(read);
						}
						return read;
					}

					@Override
					public boolean isFinished() {
						return body.isFinished();
					}

					@Override
					public boolean isReady() {
						return body.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						body.setReadListener(listener);
					}

				};
			}
			return this.stream;
		}

	}

}
