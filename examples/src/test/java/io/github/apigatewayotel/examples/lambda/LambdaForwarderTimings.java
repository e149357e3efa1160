package io.github.apigatewayotel.examples.lambda;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times the Lambda forwarder as {@link LambdaRuntimeHarness} drives it (handler created once by
 * name, invoked with an event file and a {@code Context}), invocation after invocation in one JVM:
 * the first line is the cold start (JVM start to the first invocation's return, which comes only
 * once its records were exported), then each invocation's duration, then the heap in use and the
 * process's peak resident memory. Used for docs/firehose.md's Lambda figures; arguments: handler
 * string, event file, invocations.
 */
public final class LambdaForwarderTimings {

  private LambdaForwarderTimings() {}

  public static void main(String[] args) throws Exception {
    String[] handler = args[0].split("::", 2);
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    int invocations = Integer.parseInt(args[2]);
    Class<?> handlerClass = Class.forName(handler[0]);
    Class<?> contextClass = Class.forName("com.amazonaws.services.lambda.runtime.Context");
    Object instance = handlerClass.getConstructor().newInstance();
    Method method =
        handlerClass.getMethod(
            handler[1], InputStream.class, java.io.OutputStream.class, contextClass);
    Object context =
        Proxy.newProxyInstance(
            contextClass.getClassLoader(),
            new Class<?>[] {contextClass},
            (proxy, m, a) ->
                switch (m.getName()) {
                  case "getRemainingTimeInMillis" -> 60_000;
                  case "getAwsRequestId" -> "timings";
                  case "getFunctionName" -> "apigateway-otel-forwarder";
                  case "getMemoryLimitInMB" -> 512;
                  default -> null;
                });
    for (int i = 0; i < invocations; i++) {
      long start = System.nanoTime();
      try (InputStream input = new java.io.ByteArrayInputStream(event)) {
        method.invoke(instance, input, new ByteArrayOutputStream(), context);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (i == 0) {
        System.out.println(
            "cold_start_ms="
                + (System.currentTimeMillis()
                    - ManagementFactory.getRuntimeMXBean().getStartTime()));
      }
      System.out.println("invocation_ms=" + millis);
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.println("heap_used_mb=" + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM")) {
        System.out.println("rss_peak=" + line.substring(6).trim());
      }
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
