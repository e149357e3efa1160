package io.github.apigatewayotel.testing.aws.cloudwatch;

import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.XmlText;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch's awsQuery protocol: a form-encoded {@code POST /} ({@code
 * Action=<Op>&Version=2010-08-01&...}, lists as {@code Name.member.N}, timestamps ISO 8601) and an
 * XML answer, errors as {@code <ErrorResponse>}. The XML is written as the simulator wrote it when
 * AWS SDK 2.40.2's CloudWatch client (the last awsQuery one) read it in every test.
 */
final class AwsQueryCodec implements CloudWatchCodec {

  private static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";

  @Override
  public String operation(AwsRequest request) {
    return request.formFields().getOrDefault("Action", "");
  }

  @Override
  public String nextToken(AwsRequest request) {
    return request.formFields().get("NextToken");
  }

  @Override
  public ListMetricsRequest listMetrics(AwsRequest request) {
    Map<String, String> form = request.formFields();
    return new ListMetricsRequest(
        form.get("Namespace"),
        form.get("MetricName"),
        dimensions(form, "Dimensions.member."),
        form.get("NextToken"),
        form.get("RecentlyActive"),
        Boolean.parseBoolean(form.get("IncludeLinkedAccounts")),
        form.get("OwningAccount"));
  }

  @Override
  public GetMetricDataRequest getMetricData(AwsRequest request) {
    Map<String, String> form = request.formFields();
    List<MetricDataQuery> queries = new ArrayList<>();
    for (int n = 1; form.containsKey("MetricDataQueries.member." + n + ".Id"); n++) {
      String prefix = "MetricDataQueries.member." + n + ".";
      String metricPrefix = prefix + "MetricStat.Metric.";
      boolean hasMetric =
          form.containsKey(metricPrefix + "MetricName")
              || form.containsKey(metricPrefix + "Namespace");
      queries.add(
          new MetricDataQuery(
              form.get(prefix + "Id"),
              hasMetric
                  ? new Metric(
                      form.get(metricPrefix + "Namespace"),
                      form.get(metricPrefix + "MetricName"),
                      dimensions(form, metricPrefix + "Dimensions.member."))
                  : null,
              integer(form, prefix + "MetricStat.Period"),
              form.get(prefix + "MetricStat.Stat"),
              form.get(prefix + "MetricStat.Unit"),
              form.get(prefix + "Expression"),
              form.get(prefix + "Label"),
              form.containsKey(prefix + "ReturnData")
                  ? Boolean.valueOf(form.get(prefix + "ReturnData"))
                  : null,
              form.get(prefix + "AccountId")));
    }
    return new GetMetricDataRequest(
        queries,
        instant(form, "StartTime"),
        instant(form, "EndTime"),
        form.get("NextToken"),
        form.get("ScanBy"),
        integer(form, "MaxDatapoints"));
  }

  private static List<Dimension> dimensions(Map<String, String> form, String prefix) {
    List<Dimension> dimensions = new ArrayList<>();
    for (int d = 1; form.containsKey(prefix + d + ".Name"); d++) {
      dimensions.add(
          new Dimension(form.get(prefix + d + ".Name"), form.get(prefix + d + ".Value")));
    }
    return dimensions;
  }

  private static Integer integer(Map<String, String> form, String key) {
    String value = form.get(key);
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw CloudWatchError.validation(key + " is not an integer: " + value);
    }
  }

  private static Instant instant(Map<String, String> form, String key) {
    String value = form.get(key);
    try {
      return value == null ? null : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw CloudWatchError.validation(key + " is not an ISO 8601 time: " + value);
    }
  }

  @Override
  public AwsResponse encode(ListMetricsResult result) {
    StringBuilder xml = new StringBuilder(256 + 200 * result.metrics().size());
    xml.append("<ListMetricsResponse xmlns=\"")
        .append(XMLNS)
        .append("\"><ListMetricsResult><Metrics>");
    for (Metric metric : result.metrics()) {
      xml.append("<member><Namespace>")
          .append(XmlText.xml(metric.namespace()))
          .append("</Namespace><MetricName>")
          .append(XmlText.xml(metric.metricName()))
          .append("</MetricName><Dimensions>");
      for (Dimension dimension : metric.dimensions()) {
        xml.append("<member><Name>")
            .append(XmlText.xml(dimension.name()))
            .append("</Name><Value>")
            .append(XmlText.xml(dimension.value()))
            .append("</Value></member>");
      }
      xml.append("</Dimensions></member>");
    }
    xml.append("</Metrics>");
    if (!result.owningAccounts().isEmpty()) {
      xml.append("<OwningAccounts>");
      result
          .owningAccounts()
          .forEach(
              account -> xml.append("<member>").append(XmlText.xml(account)).append("</member>"));
      xml.append("</OwningAccounts>");
    }
    if (result.nextToken() != null) {
      xml.append("<NextToken>").append(XmlText.xml(result.nextToken())).append("</NextToken>");
    }
    xml.append(
        "</ListMetricsResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></ListMetricsResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  @Override
  public AwsResponse encode(GetMetricDataResult result) {
    StringBuilder xml = new StringBuilder(256 + 160 * result.results().size());
    xml.append("<GetMetricDataResponse xmlns=\"")
        .append(XMLNS)
        .append("\"><GetMetricDataResult><MetricDataResults>");
    for (MetricDataResult data : result.results()) {
      xml.append("<member><Id>")
          .append(XmlText.xml(data.id()))
          .append("</Id><Label>")
          .append(XmlText.xml(data.label()))
          .append("</Label><Timestamps>");
      for (Instant time : data.timestamps()) {
        xml.append("<member>").append(time).append("</member>");
      }
      xml.append("</Timestamps><Values>");
      for (Double value : data.values()) {
        xml.append("<member>").append(value).append("</member>");
      }
      xml.append("</Values><StatusCode>").append(data.statusCode()).append("</StatusCode>");
      if (!data.messages().isEmpty()) {
        messages(xml, data.messages());
      }
      xml.append("</member>");
    }
    xml.append("</MetricDataResults>");
    if (result.nextToken() != null) {
      xml.append("<NextToken>").append(XmlText.xml(result.nextToken())).append("</NextToken>");
    }
    if (result.messages().isEmpty()) {
      xml.append("<Messages/>");
    } else {
      messages(xml, result.messages());
    }
    xml.append(
        "</GetMetricDataResult><ResponseMetadata><RequestId>sim</RequestId></ResponseMetadata></GetMetricDataResponse>");
    return AwsResponse.xml(200, xml.toString());
  }

  private static void messages(StringBuilder xml, List<MessageData> messages) {
    xml.append("<Messages>");
    for (MessageData message : messages) {
      xml.append("<member><Code>")
          .append(XmlText.xml(message.code()))
          .append("</Code><Value>")
          .append(XmlText.xml(message.value()))
          .append("</Value></member>");
    }
    xml.append("</Messages>");
  }

  @Override
  public AwsResponse encode(CloudWatchError error) {
    return AwsResponse.queryError(
        error.status(),
        error.fault(),
        error.code(),
        XmlText.xml(String.valueOf(error.getMessage())));
  }
}
