package io.github.apigatewayotel.testing.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated AWS endpoint on loopback. Every AWS SDK v2 client of the project points its endpoint
 * override here; requests are routed to a {@link AwsServiceHandler} by the service named in their
 * SigV4 credential scope, exactly as the real clients sign them. Interceptors run first and may
 * answer instead (throttling, 5xx, slow responses, expired credentials).
 */
public final class FakeAwsServer implements AutoCloseable {

  private static final Pattern CREDENTIAL_SCOPE =
      Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, AwsServiceHandler> handlers = new ConcurrentHashMap<>();
  private final List<Function<AwsRequest, Optional<AwsResponse>>> interceptors =
      new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();

  private FakeAwsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on an ephemeral loopback port. */
  public static FakeAwsServer start() throws IOException {
    return start(0);
  }

  /** Starts on {@code port} of the loopback address (0 for an ephemeral one). */
  public static FakeAwsServer start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    FakeAwsServer fake = new FakeAwsServer(server);
    server.createContext("/", fake::handle);
    server.setExecutor(fake.executor);
    server.start();
    return fake;
  }

  public FakeAwsServer register(AwsServiceHandler handler) {
    handlers.put(handler.signingName(), handler);
    return this;
  }

  /** Adds an interceptor; it answers by returning a response, or lets the request through. */
  public FakeAwsServer intercept(Function<AwsRequest, Optional<AwsResponse>> interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  public void clearInterceptors() {
    interceptors.clear();
  }

  public URI endpoint() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /**
   * How many requests reached the server for {@code operation} (an awsQuery Action, an awsJson
   * target's or an RPC v2 path's operation, or {@code METHOD path} for restJson), interceptor
   * answers included.
   */
  public long requestCount(String operation) {
    AtomicLong count = requestCounts.get(operation);
    return count == null ? 0 : count.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    AwsResponse response;
    try {
      AwsRequest request = read(exchange);
      requestCounts.computeIfAbsent(operationOf(request), k -> new AtomicLong()).incrementAndGet();
      response = answer(request);
    } catch (RuntimeException e) {
      response = AwsResponse.restError(500, "InternalFailure", String.valueOf(e));
    }
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-" + System.nanoTime());
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private AwsResponse answer(AwsRequest request) {
    for (Function<AwsRequest, Optional<AwsResponse>> interceptor : interceptors) {
      Optional<AwsResponse> answer = interceptor.apply(request);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
    AwsServiceHandler handler = handlers.get(request.service());
    if (handler == null) {
      return AwsResponse.restError(
          400, "UnknownServiceException", "no simulated service " + request.service());
    }
    return handler.handle(request);
  }

  /** The operation name used by {@link #requestCount}. */
  public static String operationOf(AwsRequest request) {
    String rpcV2 = request.rpcV2Operation();
    if (rpcV2 != null) {
      return rpcV2;
    }
    String target = request.jsonTarget();
    if (target != null) {
      return target;
    }
    if ("POST".equals(request.method())) {
      String action = request.formFields().get("Action");
      if (action != null) {
        return action;
      }
    }
    return request.method() + " " + request.path();
  }

  private static AwsRequest read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String accessKey = null;
    String region = null;
    String service = null;
    if (authorization != null) {
      Matcher matcher = CREDENTIAL_SCOPE.matcher(authorization);
      if (matcher.find()) {
        accessKey = matcher.group(1);
        region = matcher.group(2);
        service = matcher.group(3);
      }
    }
    URI uri = exchange.getRequestURI();
    return new AwsRequest(
        exchange.getRequestMethod(),
        uri.getRawPath(),
        uri.getRawQuery(),
        Map.copyOf(exchange.getRequestHeaders()),
        body,
        service,
        region,
        accessKey);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
