package dev.podium.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Keeps teams' webhooks off the network Podium runs in: a participant names the URL and
 * Podium's servers POST to it, so without this check a webhook could reach the cloud's
 * metadata service, a database's HTTP port or the management port. A webhook must be
 * https, carry no credentials, and every address its host resolves to must be public; it
 * is checked when registered and again before each delivery (the name may have been
 * pointed elsewhere since). Hosts the organizers list in
 * {@code podium.notifications.webhook-allowed-hosts} are exempt.
 */
@Component
class WebhookAddressGuard {

	static final int MAX_URL = 2000;

	private final Set<String> allowedHosts;

	WebhookAddressGuard(NotificationProperties properties) {
		this.allowedHosts = properties.webhookAllowedHosts()
			.stream()
			.map((host) -> host.strip().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Why Podium will not send to this URL, if it will not. */
	Optional<String> refusal(URI url) {
		if (url.toString().length() > MAX_URL) {
			return Optional.of("The webhook's URL is longer than " + MAX_URL + " characters");
		}
		String host = url.getHost();
		if (!url.isAbsolute() || host == null || url.getScheme() == null) {
			return Optional.of("The webhook's URL must be absolute, such as https://hooks.example.org/podium");
		}
		if (url.getRawUserInfo() != null) {
			return Optional.of("The webhook's URL must not carry a user name or password: "
					+ "check the signature of each delivery instead");
		}
		String scheme = url.getScheme().toLowerCase(Locale.ROOT);
		String bareHost = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
		if (this.allowedHosts.contains(bareHost) || this.allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
			return (scheme.equals("https") || scheme.equals("http")) ? Optional.empty()
					: Optional.of("The webhook's URL must be http or https");
		}
		if (!scheme.equals("https")) {
			return Optional.of("The webhook's URL must be https");
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(bareHost);
		}
		catch (UnknownHostException ex) {
			// perhaps for now only (Java reports a failing resolver the same way): the
			// caller decides whether to refuse or to try again later
			throw new Unresolved();
		}
		for (InetAddress address : addresses) {
			if (!isPublic(address)) {
				return Optional.of("The webhook's host resolves to a private, local or reserved address; "
						+ "Podium sends only to public ones");
			}
		}
		return Optional.empty();
	}

	/** The webhook's host does not resolve, or did not just now. */
	static final class Unresolved extends RuntimeException {

		Unresolved() {
			super("The webhook's host does not resolve", null, false, false);
		}

	}

	static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			return isPublicV4(bytes);
		}
		if (address instanceof Inet6Address) {
			int first = bytes[0] & 0xff;
			if ((first & 0xfe) == 0xfc) {
				// unique local, fc00::/7
				return false;
			}
			if (first == 0x20 && (bytes[1] & 0xff) == 0x01 && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8) {
				// documentation, 2001:db8::/32
				return false;
			}
			if (embedsV4(bytes)) {
				return isPublicV4(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] });
			}
		}
		return true;
	}

	/**
	 * IPv4-compatible ::a.b.c.d, mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, or
	 * NAT64 64:ff9b::a.b.c.d and its local-use 64:ff9b:1::/48 (whose last four bytes are
	 * taken as the address, the strictest reading).
	 */
	private static boolean embedsV4(byte[] bytes) {
		boolean zeros = true;
		for (int i = 0; i < 8; i++) {
			zeros &= bytes[i] == 0;
		}
		int b8 = bytes[8] & 0xff;
		int b9 = bytes[9] & 0xff;
		int b10 = bytes[10] & 0xff;
		int b11 = bytes[11] & 0xff;
		boolean compatibleOrMapped = zeros && b8 == 0 && b9 == 0
				&& ((b10 == 0 && b11 == 0) || (b10 == 0xff && b11 == 0xff));
		boolean translated = zeros && b8 == 0xff && b9 == 0xff && b10 == 0 && b11 == 0;
		boolean nat64Prefix = bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b;
		boolean wellKnown = nat64Prefix;
		for (int i = 4; wellKnown && i < 12; i++) {
			wellKnown = bytes[i] == 0;
		}
		boolean localUse = nat64Prefix && bytes[4] == 0 && bytes[5] == 1;
		return compatibleOrMapped || translated || wellKnown || localUse;
	}

	private static boolean isPublicV4(byte[] bytes) {
		int a = bytes[0] & 0xff;
		int b = bytes[1] & 0xff;
		int c = bytes[2] & 0xff;
		return !(a == 0 || a == 10 || a == 127 || a >= 224 // this network, private,
															// loopback,
		// multicast and reserved
				|| (a == 100 && b >= 64 && b <= 127) // shared address space (carrier NAT)
				|| (a == 169 && b == 254) // link local, the cloud metadata services
				|| (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) // private
				|| (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocols,
																// documentation
				|| (a == 198 && (b == 18 || b == 19)) // benchmarking
				|| (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)); // documentation
	}

}
