package io.github.apigatewayotel.examples.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code examples/firehose/template.yaml} as far as it can be checked without AWS: well-formed
 * YAML, every resource type one this test knows, every property one its CloudFormation resource
 * schema defines (the properties below are transcribed from the provider schemas cfn-lint ships,
 * {@code src/cfnlint/data/schemas/providers/us_east_1/*.json}), the required ones present, and
 * every {@code Ref} / {@code Fn::GetAtt} naming a parameter or resource of the template.
 */
class FirehoseTemplateTest {

  /**
   * Type -> top-level properties its schema allows (write-only and read-write; read-only left out).
   */
  private static final Map<String, Set<String>> PROPERTIES =
      Map.of(
          "AWS::S3::Bucket",
              Set.of(
                  "BucketEncryption",
                  "PublicAccessBlockConfiguration",
                  "LifecycleConfiguration",
                  "BucketName",
                  "Tags",
                  "VersioningConfiguration"),
          "AWS::Logs::LogGroup", Set.of("RetentionInDays", "LogGroupName", "KmsKeyId", "Tags"),
          "AWS::Logs::LogStream", Set.of("LogGroupName", "LogStreamName"),
          "AWS::IAM::Role",
              Set.of(
                  "AssumeRolePolicyDocument",
                  "Policies",
                  "ManagedPolicyArns",
                  "Path",
                  "RoleName",
                  "Description",
                  "MaxSessionDuration",
                  "PermissionsBoundary",
                  "Tags"),
          "AWS::KinesisFirehose::DeliveryStream",
              Set.of(
                  "DeliveryStreamType",
                  "HttpEndpointDestinationConfiguration",
                  "DeliveryStreamName",
                  "Tags"),
          "AWS::CloudWatch::MetricStream",
              Set.of(
                  "FirehoseArn",
                  "RoleArn",
                  "OutputFormat",
                  "IncludeFilters",
                  "ExcludeFilters",
                  "StatisticsConfigurations",
                  "IncludeLinkedAccountsMetrics",
                  "Name",
                  "Tags"),
          "AWS::Logs::SubscriptionFilter",
              Set.of(
                  "DestinationArn",
                  "FilterPattern",
                  "LogGroupName",
                  "RoleArn",
                  "Distribution",
                  "FilterName"),
          "AWS::EC2::SecurityGroup",
              Set.of(
                  "GroupDescription",
                  "VpcId",
                  "SecurityGroupIngress",
                  "SecurityGroupEgress",
                  "GroupName",
                  "Tags"),
          "AWS::ElasticLoadBalancingV2::LoadBalancer",
              Set.of(
                  "Type",
                  "Scheme",
                  "Subnets",
                  "SecurityGroups",
                  "LoadBalancerAttributes",
                  "Name",
                  "IpAddressType",
                  "Tags"),
          "AWS::ElasticLoadBalancingV2::TargetGroup",
              Set.of(
                  "TargetType",
                  "Protocol",
                  "Port",
                  "VpcId",
                  "HealthCheckPath",
                  "Matcher",
                  "TargetGroupAttributes",
                  "HealthCheckIntervalSeconds",
                  "Targets",
                  "Name",
                  "Tags"));

  private static final Map<String, Set<String>> ALSO =
      Map.of(
          "AWS::ElasticLoadBalancingV2::Listener",
          Set.of(
              "LoadBalancerArn",
              "Port",
              "Protocol",
              "Certificates",
              "DefaultActions",
              "SslPolicy"));

  private static final Map<String, List<String>> REQUIRED =
      Map.of(
          "AWS::CloudWatch::MetricStream", List.of("FirehoseArn", "RoleArn", "OutputFormat"),
          "AWS::Logs::SubscriptionFilter",
              List.of("DestinationArn", "FilterPattern", "LogGroupName"),
          "AWS::IAM::Role", List.of("AssumeRolePolicyDocument"),
          "AWS::EC2::SecurityGroup", List.of("GroupDescription"),
          "AWS::ElasticLoadBalancingV2::Listener", List.of("LoadBalancerArn", "DefaultActions"));

  /** HttpEndpointDestinationConfiguration and its parts (the Firehose schema's definitions). */
  private static final Set<String> HTTP_DESTINATION =
      Set.of(
          "BufferingHints",
          "CloudWatchLoggingOptions",
          "EndpointConfiguration",
          "ProcessingConfiguration",
          "RequestConfiguration",
          "RetryOptions",
          "RoleARN",
          "S3BackupMode",
          "S3Configuration");

  private static final Set<String> ENDPOINT = Set.of("AccessKey", "Name", "Url");
  private static final Set<String> REQUEST = Set.of("CommonAttributes", "ContentEncoding");
  private static final Set<String> S3_DESTINATION =
      Set.of(
          "BucketARN",
          "BufferingHints",
          "CloudWatchLoggingOptions",
          "CompressionFormat",
          "EncryptionConfiguration",
          "ErrorOutputPrefix",
          "Prefix",
          "RoleARN");

  private static Map<String, Object> template;

  @BeforeAll
  static void parse() throws Exception {
    try (Reader reader =
        Files.newBufferedReader(Path.of("firehose", "template.yaml"), StandardCharsets.UTF_8)) {
      template = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
    }
  }

  @Test
  void everyResourceTypeAndPropertyIsOneTheSchemasDefine() {
    Map<String, Object> resources = map(template.get("Resources"));
    assertThat(resources).hasSizeGreaterThan(10);
    resources.forEach(
        (name, value) -> {
          Map<String, Object> resource = map(value);
          String type = (String) resource.get("Type");
          Set<String> allowed =
              PROPERTIES.containsKey(type) ? PROPERTIES.get(type) : ALSO.get(type);
          assertThat(allowed)
              .as(name + ": a resource type this test checks (" + type + ")")
              .isNotNull();
          Map<String, Object> properties = map(resource.get("Properties"));
          assertThat(allowed).as(name).containsAll(properties.keySet());
          assertThat(properties.keySet())
              .as(name + " required")
              .containsAll(REQUIRED.getOrDefault(type, List.of()));
        });
  }

  @Test
  void bothStreamsDeliverToTheEndpointPathsWithGzipAnAccessKeyAndS3Backup() {
    for (String stream : List.of("MetricsDeliveryStream", "LogsDeliveryStream")) {
      Map<String, Object> destination =
          map(
              map(map(map(template.get("Resources")).get(stream)).get("Properties"))
                  .get("HttpEndpointDestinationConfiguration"));
      assertThat(HTTP_DESTINATION).containsAll(destination.keySet());
      assertThat(ENDPOINT).containsAll(map(destination.get("EndpointConfiguration")).keySet());
      assertThat(REQUEST).containsAll(map(destination.get("RequestConfiguration")).keySet());
      assertThat(S3_DESTINATION).containsAll(map(destination.get("S3Configuration")).keySet());
      assertThat(map(destination.get("RequestConfiguration")).get("ContentEncoding"))
          .isEqualTo("GZIP");
      assertThat(destination.get("S3BackupMode")).isEqualTo("FailedDataOnly");
      assertThat(map(destination.get("EndpointConfiguration")).get("AccessKey"))
          .isEqualTo(Map.of("Ref", "AccessKey"));
      String url =
          (String) map(map(destination.get("EndpointConfiguration")).get("Url")).get("Fn::Sub");
      assertThat(url)
          .startsWith("https://")
          .endsWith(stream.startsWith("Metrics") ? "/metric-streams" : "/logs");
      assertThat((Integer) map(destination.get("BufferingHints")).get("IntervalInSeconds"))
          .isBetween(60, 900);
      assertThat((Integer) map(destination.get("RetryOptions")).get("DurationInSeconds"))
          .isBetween(0, 7200);
    }
  }

  @Test
  void theMetricStreamSendsApiGatewayInOpenTelemetryWithTheTablesPercentiles() {
    Map<String, Object> stream =
        map(map(map(template.get("Resources")).get("ApiGatewayMetricStream")).get("Properties"));
    assertThat(stream.get("OutputFormat")).isEqualTo("opentelemetry1.0");
    assertThat(stream.get("IncludeFilters"))
        .isEqualTo(List.of(Map.of("Namespace", "AWS/ApiGateway")));
    List<Object> statistics = list(stream.get("StatisticsConfigurations"));
    assertThat(statistics).hasSize(2);
    assertThat(map(statistics.get(0)).get("AdditionalStatistics"))
        .isEqualTo(List.of("p50", "p75", "p90", "p95", "p99"));
    assertThat(map(statistics.get(1)).get("AdditionalStatistics"))
        .isEqualTo(List.of("p90", "p95", "p99"));
  }

  @Test
  void everyReferenceNamesAParameterOrResource() {
    List<String> names = new ArrayList<>(map(template.get("Parameters")).keySet());
    names.addAll(map(template.get("Resources")).keySet());
    List<String> references = new ArrayList<>();
    collect(template.get("Resources"), references);
    collect(template.get("Outputs"), references);
    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(names).as("reference " + reference).contains(reference);
    }
  }

  private static void collect(Object node, List<String> into) {
    if (node instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if ("Ref".equals(k) && v instanceof String s && !s.startsWith("AWS::")) {
              into.add(s);
            } else if ("Fn::GetAtt".equals(k) && v instanceof List<?> l) {
              into.add((String) l.get(0));
            } else if ("Fn::Sub".equals(k) && v instanceof String s) {
              java.util.regex.Matcher matcher =
                  java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)[.}]").matcher(s);
              while (matcher.find()) {
                into.add(matcher.group(1));
              }
            } else {
              collect(v, into);
            }
          });
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(v, into));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }
}
