package io.github.apigatewayotel.testing.aws;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch's awsQuery protocol, as the AWS SDK for Java 2.40 speaks it: form-encoded requests
 * ({@code Action=ListMetrics|GetMetricData&Version=2010-08-01}) decoded into the simulator's
 * protocol-neutral calls, and their answers written as CloudWatch's XML.
 */
final class CloudWatchQueryCodec {

  private static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

  private CloudWatchQueryCodec() {}

  static AwsResponse handle(CloudWatchSimulator cloudWatch, AwsRequest request) {
    Map<String, String> form = request.formFields();
    String action = form.getOrDefault("Action", "");
    try {
      return switch (action) {
        case "ListMetrics" -> listMetrics(cloudWatch, request.region(), form);
        case "GetMetricData" -> getMetricData(cloudWatch, request.region(), form);
        default -> AwsResponse.queryError(400, "Sender", "InvalidAction", "unsupported action " + action);
      };
    } catch (CloudWatchSimulator.ValidationException e) {
      return AwsResponse.queryError(400, "Sender", "ValidationError", XmlText.xml(e.getMessage()));
    }
  }

  private static AwsResponse listMetrics(CloudWatchSimulator cloudWatch, String region, Map<String, String> form) {
    CloudWatchSimulator.ListMetricsPage page = cloudWatch.listMetrics(region, new CloudWatchSimulator.ListMetricsQuery(
        form.get("Namespace"), form.get("MetricName"), form.get("NextToken"),
        Boolean.parseBoolean(form.get("IncludeLinkedAccounts")), form.get("OwningAccount")));
    StringBuilder xml = new StringBuilder(256 + 200 * page.metrics().size());
    xml.append("<ListMetricsResponse xmlns=\"").append(XMLNS).append("\"><ListMetricsResult><Metrics>");
    for (SimulatedAccount.Series series : page.metrics()) {
      xml.append("<member><Namespace>").append(CloudWatchSimulator.NAMESPACE).append("</Namespace><MetricName>")
          .append(XmlText.xml(series.metricName())).append("</MetricName><Dimensions>");
      series.dimensions().forEach((k, v) -> xml.append("<member><Name>").append(k)
          .append("</Name><Value>").append(XmlText.xml(v)).append("</Value></member>"));
      xml.append("</Dimensions></member>");
    }
    xml.append("</Metrics>");
    if (page.nextToken() != null) {
      xml.append("<NextToken>").append(page.nextToken()).append("</NextToken>");
    }
    if (!page.owningAccounts().isEmpty()) {
      xml.append("<OwningAccounts>");
      page.owningAccounts().forEach(id -> xml.append("<member>").append(id).append("</member>"));
      xml.append("</OwningAccounts>");
    }
    xml.append("</ListMetricsResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></ListMetricsResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  private static AwsResponse getMetricData(CloudWatchSimulator cloudWatch, String region, Map<String, String> form) {
    List<CloudWatchSimulator.MetricQuery> queries = new ArrayList<>();
    for (int n = 1; form.containsKey("MetricDataQueries.member." + n + ".Id"); n++) {
      String prefix = "MetricDataQueries.member." + n + ".";
      String metricPrefix = prefix + "MetricStat.Metric.";
      Map<String, String> dimensions = new TreeMap<>();
      for (int d = 1; form.containsKey(metricPrefix + "Dimensions.member." + d + ".Name"); d++) {
        dimensions.put(form.get(metricPrefix + "Dimensions.member." + d + ".Name"),
            form.get(metricPrefix + "Dimensions.member." + d + ".Value"));
      }
      String period = form.get(prefix + "MetricStat.Period");
      queries.add(new CloudWatchSimulator.MetricQuery(form.get(prefix + "Id"), form.get(prefix + "AccountId"),
          form.get(metricPrefix + "Namespace"), form.get(metricPrefix + "MetricName"), dimensions,
          form.get(prefix + "MetricStat.Stat"), period == null ? null : parseInt(period, "Period")));
    }
    CloudWatchSimulator.GetMetricDataPage page = cloudWatch.getMetricData(region, queries,
        parseTime(form.get("StartTime"), "StartTime"), parseTime(form.get("EndTime"), "EndTime"), form.get("NextToken"));
    StringBuilder xml = new StringBuilder(256 + 160 * queries.size());
    xml.append("<GetMetricDataResponse xmlns=\"").append(XMLNS).append("\"><GetMetricDataResult><MetricDataResults>");
    for (CloudWatchSimulator.MetricResult result : page.results()) {
      xml.append("<member><Id>").append(result.id()).append("</Id><Label>").append(XmlText.xml(result.label()))
          .append("</Label><Timestamps>");
      result.timestamps().forEach(time -> xml.append("<member>").append(time).append("</member>"));
      xml.append("</Timestamps><Values>");
      result.values().forEach(value -> xml.append("<member>").append(value).append("</member>"));
      xml.append("</Values><StatusCode>").append(result.statusCode()).append("</StatusCode>");
      if (!result.messages().isEmpty()) {
        xml.append("<Messages>");
        result.messages().forEach(m -> xml.append("<member><Code>").append(XmlText.xml(m.code())).append("</Code><Value>")
            .append(XmlText.xml(m.value())).append("</Value></member>"));
        xml.append("</Messages>");
      }
      xml.append("</member>");
    }
    xml.append("</MetricDataResults>");
    if (page.nextToken() != null) {
      xml.append("<NextToken>").append(page.nextToken()).append("</NextToken>");
    }
    xml.append("<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></GetMetricDataResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  private static Instant parseTime(String value, String name) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new CloudWatchSimulator.ValidationException(name + " must be an ISO 8601 time: " + value);
    }
  }

  private static int parseInt(String value, String name) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CloudWatchSimulator.ValidationException(name + " must be a number: " + value);
    }
  }
}
