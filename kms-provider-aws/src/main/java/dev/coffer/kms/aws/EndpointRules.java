package dev.coffer.kms.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which endpoints the aws-kms provider may send requests to: {@code https} to any host, plain
 * {@code http} only to a loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}),
 * since requests carry plaintext data keys and signed credentials. Host names other than {@code
 * localhost} are never resolved here. Stateless.
 */
final class EndpointRules {
  private EndpointRules() {}

  /** Why {@code uri} is refused as an endpoint, or null when it is acceptable. */
  static String problem(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || !(scheme.equals("https") || scheme.equals("http"))) {
      return "the KMS endpoint must be an http(s)://host[:port] URL, not '" + uri + "'";
    }
    if (scheme.equals("http") && !isLoopback(host)) {
      return "plain http is allowed only to a loopback host (localhost, 127.0.0.1, [::1]); use https for "
          + host;
    }
    return null;
  }

  private static boolean isLoopback(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a name other than localhost: never resolved here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal address: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
