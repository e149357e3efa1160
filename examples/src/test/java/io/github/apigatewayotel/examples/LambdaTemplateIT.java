package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.spi.lambda.AccessLogForwarder;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code examples/lambda/template.yaml} deploys the package that {@link LambdaForwarderJarIT} runs.
 */
class LambdaTemplateIT {

  private static final String FUNCTION = "AccessLogForwarderFunction";
  private static final Map<String, Object> FUNCTION_ARN =
      Map.of("Fn::GetAtt", List.of(FUNCTION, "Arn"));

  /** Two names, one with a character not allowed in logical IDs, so Fn::ForEach must strip it. */
  private static final String SAMPLE_LOG_GROUPS = "api-gateway-prod,api-gateway/staging";

  private static Path templateFile;
  private static Map<String, Object> template;

  @BeforeAll
  static void parse() throws Exception {
    templateFile =
        Path.of(System.getProperty("apigateway.examples.dir"), "lambda", "template.yaml");
    try (Reader reader = Files.newBufferedReader(templateFile, StandardCharsets.UTF_8)) {
      template = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
    }
  }

  @Test
  void languageExtensionsRunBeforeTheSamTransform() {
    assertThat(template.get("Transform"))
        .isEqualTo(List.of("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"));
  }

  @Test
  void functionRunsTheForwarderFromThePackageTheBuildMakes() throws Exception {
    Map<String, Object> function = resource(FUNCTION);
    assertThat(function.get("Type")).isEqualTo("AWS::Serverless::Function");
    Map<String, Object> properties = map(function.get("Properties"));
    assertThat(properties.get("Runtime")).isIn("java17", "java21");
    assertThat(properties.get("Handler")).isEqualTo(LambdaForwarderJarIT.HANDLER);

    Path codeUri = templateFile.getParent().resolve((String) properties.get("CodeUri")).normalize();
    Path jar = LambdaForwarderJarIT.lambdaJar();
    assertThat(codeUri.toRealPath()).isEqualTo(jar.toRealPath());

    // The handler string names a class of that jar with the RequestStreamHandler method.
    String[] handler = ((String) properties.get("Handler")).split("::");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = Class.forName(handler[0], false, loader);
      assertThat(handlerClass.getClassLoader()).isSameAs(loader);
      Class<?> context =
          Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
      assertThat(handlerClass.getMethod(handler[1], InputStream.class, OutputStream.class, context))
          .isNotNull();
      assertThat(handlerClass.getConstructor()).isNotNull();
    }
    assertThat((Integer) properties.get("Timeout")).isBetween(10, 900);
    assertThat((Integer) properties.get("MemorySize")).isBetween(256, 10_240);
  }

  @Test
  void environmentConfiguresOtlpOverHttpAndTheLogFormat() {
    Map<String, Object> variables =
        map(
            map(map(map(resource(FUNCTION).get("Properties")).get("Environment")))
                .get("Variables"));
    assertThat(variables.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        .isEqualTo(Map.of("Ref", "OtlpEndpoint"));
    assertThat(variables.get("OTEL_EXPORTER_OTLP_HEADERS")).isEqualTo(Map.of("Ref", "OtlpHeaders"));
    assertThat(variables.get(AccessLogForwarder.FORMAT_ENV))
        .isEqualTo(Map.of("Ref", "AccessLogFormat"));
    assertThat(variables.get("OTEL_SERVICE_NAME")).isEqualTo(Map.of("Ref", "ServiceName"));
    // The package carries the JDK HTTP sender only; autoconfigure's default protocol is gRPC.
    assertThat(variables.get("OTEL_EXPORTER_OTLP_PROTOCOL")).isEqualTo("http/protobuf");

    Map<String, Object> parameters = map(template.get("Parameters"));
    assertThat(map(parameters.get("OtlpHeaders")).get("NoEcho")).isEqualTo(true);
    for (String referenced : List.of("OtlpEndpoint", "AccessLogFormat", "ServiceName")) {
      assertThat(parameters).containsKey(referenced);
    }
  }

  @Test
  void cloudWatchLogsMayInvokeTheFunction() {
    Map<String, Object> permission = resource("CloudWatchLogsInvokePermission");
    assertThat(permission.get("Type")).isEqualTo("AWS::Lambda::Permission");
    Map<String, Object> properties = map(permission.get("Properties"));
    assertThat(properties.get("Principal")).isEqualTo("logs.amazonaws.com");
    assertThat(properties.get("Action")).isEqualTo("lambda:InvokeFunction");
    assertThat(properties.get("FunctionName")).isEqualTo(FUNCTION_ARN);
  }

  @Test
  void oneSubscriptionFilterPerListedLogGroupSendsToTheFunction() {
    Map<String, Object> resources = map(template.get("Resources"));
    List<Object> loop = list(resources.get("Fn::ForEach::ApiGatewayLogGroups"));
    assertThat(loop).hasSize(3);
    String variable = (String) loop.get(0);
    assertThat(loop.get(1)).isEqualTo(Map.of("Ref", "LogGroupNames"));
    assertThat(map(map(template.get("Parameters")).get("LogGroupNames")).get("Type"))
        .isEqualTo("CommaDelimitedList");

    List<Map<String, Object>> filters = new ArrayList<>();
    collectSubscriptionFilters(resources, filters);
    assertThat(filters).isNotEmpty();
    for (Map<String, Object> filter : filters) {
      Map<String, Object> properties = map(filter.get("Properties"));
      assertThat(properties.get("DestinationArn")).isEqualTo(FUNCTION_ARN);
      assertThat(properties.get("LogGroupName")).isEqualTo(Map.of("Ref", variable));
      // Created only once CloudWatch Logs may invoke the function, or creation fails.
      assertThat(filter.get("DependsOn")).isEqualTo("CloudWatchLogsInvokePermission");
    }
    // Inside the loop, every logical ID uses the alphanumeric form of the group name.
    assertThat(map(loop.get(2)).keySet()).allMatch(id -> id.contains("&{" + variable + "}"));
  }

  /**
   * CloudFormation's own linter, where installed (it is a Python tool, not a build dependency): it
   * applies both transforms, expands Fn::ForEach over sample group names and checks every resource
   * against the resource specifications.
   */
  @Test
  void cfnLintAcceptsTheTemplateWithItsLoopExpanded(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed");
    String text = Files.readString(templateFile, StandardCharsets.UTF_8);
    String withDefault =
        text.replace(
            "    Type: CommaDelimitedList\n",
            "    Type: CommaDelimitedList\n    Default: " + SAMPLE_LOG_GROUPS + "\n");
    assertThat(withDefault).isNotEqualTo(text);
    Path copy = Files.writeString(dir.resolve("template.yaml"), withDefault);
    Path report = dir.resolve("cfn-lint.out");
    Process lint =
        new ProcessBuilder("cfn-lint", copy.toString())
            .redirectErrorStream(true)
            .redirectOutput(report.toFile())
            .start();
    boolean exited = lint.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      lint.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(exited).as("cfn-lint finished").isTrue();
    assertThat(lint.exitValue()).as(output).isZero();
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(directory, command))) {
        return true;
      }
    }
    return false;
  }

  private static void collectSubscriptionFilters(Object node, List<Map<String, Object>> found) {
    if (node instanceof Map<?, ?> asMap) {
      if ("AWS::Logs::SubscriptionFilter".equals(asMap.get("Type"))) {
        found.add(map(asMap));
      }
      asMap.values().forEach(value -> collectSubscriptionFilters(value, found));
    } else if (node instanceof List<?> asList) {
      asList.forEach(value -> collectSubscriptionFilters(value, found));
    }
  }

  private static Map<String, Object> resource(String logicalId) {
    Object resource = map(template.get("Resources")).get(logicalId);
    assertThat(resource).as("resource %s", logicalId).isNotNull();
    return map(resource);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }
}
