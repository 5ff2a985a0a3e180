package dev.podium.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import dev.podium.problem.BodyTooLargeException;

/**
 * A request whose body can be read up to a limit and no further: one byte past it, the
 * stream throws {@link BodyTooLargeException}, having taken at most the limit and one
 * byte from the client, whatever the request declared (or did not, when chunked).
 */
final class BoundedRequest extends HttpServletRequestWrapper {

	private volatile long limit;

	private ServletInputStream stream;

	private BufferedReader reader;

	BoundedRequest(HttpServletRequest request, long limit) {
		super(request);
		this.limit = limit;
	}

	/** Sets the limit of the handler the request goes to, before it reads anything. */
	void limitTo(long limit) {
		this.limit = limit;
	}

	long limit() {
		return this.limit;
	}

	@Override
	public synchronized ServletInputStream getInputStream() throws IOException {
		if (this.stream == null) {
			this.stream = new Bounded(super.getInputStream());
		}
		return this.stream;
	}

	@Override
	public synchronized BufferedReader getReader() throws IOException {
		if (this.reader == null) {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			this.reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}
		return this.reader;
	}

	private final class Bounded extends ServletInputStream {

		private final ServletInputStream body;

		private long count;

		Bounded(ServletInputStream body) {
			this.body = body;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int read = read(one, 0, 1);
			return (read <= 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			long limit = BoundedRequest.this.limit;
			// never more than one byte past the limit: enough to know it is exceeded
			int allowed = (int) Math.max(1, Math.min(length, limit - this.count + 1));
			int read = this.body.read(buffer, offset, allowed);
			if (read > 0) {
				this.count += read;
				if (this.count > limit) {
					throw new BodyTooLargeException(limit);
				}
			}
			return read;
		}

		@Override
		public boolean isFinished() {
			return this.body.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.body.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.body.setReadListener(listener);
		}

	}

}
