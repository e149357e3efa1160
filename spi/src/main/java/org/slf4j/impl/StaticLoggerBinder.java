package org.slf4j.impl;

import io.github.apigatewayotel.spi.internal.AwsSdkLoggerFactory;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The slf4j 1.7 binding of the drop-in and standalone jars, relocated with the slf4j the AWS SDK
 * logs through: java.util.logging (slf4j-jdk14's factory), except for the loggers that would print
 * credentials ({@link AwsSdkLoggerFactory}). Replaces slf4j-jdk14's own binder, which the jars
 * leave out.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

  /** The slf4j API version this binding is compiled for; not final, as slf4j requires. */
  public static String REQUESTED_API_VERSION = "1.6.99";

  private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

  private final ILoggerFactory loggerFactory = new AwsSdkLoggerFactory(new JDK14LoggerFactory());

  private StaticLoggerBinder() {}

  public static StaticLoggerBinder getSingleton() {
    return SINGLETON;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public String getLoggerFactoryClassStr() {
    return AwsSdkLoggerFactory.class.getName();
  }
}
