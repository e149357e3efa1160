package io.github.apigatewayotel.examples.lambda;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plays the AWS Lambda Java runtime for one invocation, in a JVM whose classpath is the deployment
 * package and this class: resolves the handler string ({@code class::method}) by name, creates the
 * handler once, invokes it with the event file and a {@code Context}, and then halts the JVM the
 * way Lambda freezes it: no shutdown hooks run, so nothing is exported after the handler returned.
 *
 * <p>Uses only the JDK (reflection and a proxy for {@code Context}) so it adds nothing of its own
 * to what the package must contain. Arguments: handler string, event file, remaining time in ms.
 * Prints {@code HANDLER_RETURNED} (exit 0) or {@code HANDLER_THREW ...} (exit 3).
 */
public final class LambdaRuntimeHarness {

  static final String RETURNED = "HANDLER_RETURNED";
  static final String THREW = "HANDLER_THREW";
  private static final String CONTEXT_CLASS = "com.amazonaws.services.lambda.runtime.Context";

  private LambdaRuntimeHarness() {}

  public static void main(String[] args) throws Exception {
    String[] handler = args[0].split("::", 2);
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    long remainingMillis = Long.parseLong(args[2]);

    Class<?> handlerClass = Class.forName(handler[0]);
    Class<?> contextClass = Class.forName(CONTEXT_CLASS);
    Object instance = handlerClass.getConstructor().newInstance();
    Method method =
        handlerClass.getMethod(
            handler[1], InputStream.class, java.io.OutputStream.class, contextClass);
    Object context = contextStub(contextClass, remainingMillis);
    int exitCode;
    try (InputStream input = new java.io.ByteArrayInputStream(event)) {
      method.invoke(instance, input, new ByteArrayOutputStream(), context);
      System.out.println(RETURNED);
      exitCode = 0;
    } catch (InvocationTargetException e) {
      System.out.println(THREW + " " + e.getCause());
      exitCode = 3;
    }
    System.out.flush();
    Runtime.getRuntime().halt(exitCode);
  }

  private static Object contextStub(Class<?> contextClass, long remainingMillis) {
    return Proxy.newProxyInstance(
        contextClass.getClassLoader(),
        new Class<?>[] {contextClass},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getRemainingTimeInMillis":
              return (int) remainingMillis;
            case "getMemoryLimitInMB":
              return 512;
            case "getAwsRequestId":
              return "harness-request-1";
            case "getFunctionName":
              return "apigateway-access-logs-to-otlp";
            case "getFunctionVersion":
              return "$LATEST";
            case "getLogGroupName":
              return "/aws/lambda/apigateway-access-logs-to-otlp";
            case "getInvokedFunctionArn":
              return "arn:aws:lambda:eu-west-1:123456789012:function:apigateway-access-logs-to-otlp";
            case "toString":
              return "LambdaRuntimeHarness.Context";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              return null;
          }
        });
  }
}
