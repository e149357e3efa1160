package io.github.apigatewayotel.examples.demo;

/** Renders a request as one access-log line, as API Gateway would with a given "Log format". */
interface AccessLogLineFormat {

  String render(SimulatedRequest request);
}
