package io.vcj.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The host as an HTTP client of a server in a pod, straight to the pod's address (no proxy). */
final class PodHttp {
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private PodHttp() {
  }

  /** GETs {@code path}; asserts 200 and returns the body. */
  static String get(String address, int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        URI.create("http://" + address + ":" + port + path)).timeout(PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.toString());
    return response.body();
  }
}
