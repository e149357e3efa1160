package io.github.apigatewayotel.state.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The fleet's one DynamoDB table: leases and shared checkpoints, keyed by a partition key {@value
 * #PARTITION_KEY} and a sort key {@value #SORT_KEY} (both strings). Every lease lives in the
 * partition {@value #LEASES} (one Query lists them all, small items only); each unit's checkpoint
 * lives in its own partition {@code checkpoint#UNIT}.
 *
 * <p>{@link #ensure()} creates the table with on-demand billing when it is missing, as the Kinesis
 * Client Library creates its lease table, and waits until it is active. A table that is missing and
 * cannot be created, or that this replica may not use, is one {@link FleetUnavailableException}
 * naming the table and the permission: the caller then works no unit.
 */
public final class FleetTable {

  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";
  static final String LEASES = "lease";
  private static final Duration ACTIVE_WAIT = Duration.ofMinutes(2);

  private final DynamoDbClient client;
  private final String name;

  public FleetTable(DynamoDbClient client, String name) {
    this.client = Objects.requireNonNull(client, "client");
    this.name = Objects.requireNonNull(name, "name");
  }

  public DynamoDbClient client() {
    return client;
  }

  public String name() {
    return name;
  }

  static Map<String, AttributeValue> key(String partition, String sort) {
    return Map.of(
        PARTITION_KEY, AttributeValue.fromS(partition), SORT_KEY, AttributeValue.fromS(sort));
  }

  /**
   * Makes sure the table exists and is active, creating it (on-demand billing) when missing.
   *
   * @throws FleetUnavailableException naming the table and the fix when it cannot be used
   */
  public void ensure() throws FleetUnavailableException {
    ensure(System::nanoTime, Thread::sleep);
  }

  /** A sleeper that may be interrupted, for waiting until the table is active. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  void ensure(LongSupplier nanoTime, Sleeper sleeper) throws FleetUnavailableException {
    TableDescription table;
    try {
      table = describe();
      if (table == null) {
        table = create();
      }
      long deadline = nanoTime.getAsLong() + ACTIVE_WAIT.toNanos();
      while (table == null || table.tableStatus() != TableStatus.ACTIVE) {
        if (nanoTime.getAsLong() - deadline > 0) {
          throw new FleetUnavailableException(
              "apigateway-otel fleet: the DynamoDB table "
                  + name
                  + " is not ACTIVE after "
                  + ACTIVE_WAIT.toSeconds()
                  + " s (status "
                  + (table == null ? "unknown" : table.tableStatusAsString())
                  + "); no unit is worked until it is",
              null);
        }
        sleeper.sleep(200);
        table = describe();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetUnavailableException(
          "apigateway-otel fleet: interrupted while waiting for the DynamoDB table " + name, e);
    } catch (SdkException e) {
      throw unavailable(e);
    }
    checkSchema(table);
  }

  private TableDescription describe() {
    try {
      return client.describeTable(r -> r.tableName(name)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    }
  }

  private TableDescription create() throws FleetUnavailableException {
    try {
      return client
          .createTable(
              r ->
                  r.tableName(name)
                      .billingMode(BillingMode.PAY_PER_REQUEST)
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName(PARTITION_KEY)
                              .attributeType(ScalarAttributeType.S)
                              .build(),
                          AttributeDefinition.builder()
                              .attributeName(SORT_KEY)
                              .attributeType(ScalarAttributeType.S)
                              .build())
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName(PARTITION_KEY)
                              .keyType(KeyType.HASH)
                              .build(),
                          KeySchemaElement.builder()
                              .attributeName(SORT_KEY)
                              .keyType(KeyType.RANGE)
                              .build()))
          .tableDescription();
    } catch (ResourceInUseException e) {
      return null; // another replica created it meanwhile: wait until it is active
    } catch (DynamoDbException e) {
      if (isAccessDenied(e)) {
        throw new FleetUnavailableException(
            "apigateway-otel fleet: the DynamoDB table "
                + name
                + " does not exist and this replica may not create it ("
                + e.awsErrorDetails().errorCode()
                + "): create it (docs/fleet.md has the aws dynamodb create-table command and a CloudFormation snippet)"
                + " or allow dynamodb:CreateTable; no unit is worked until then",
            e);
      }
      throw e;
    }
  }

  private void checkSchema(TableDescription table) throws FleetUnavailableException {
    boolean hash = false;
    boolean range = false;
    for (KeySchemaElement element : table.keySchema()) {
      hash |= element.keyType() == KeyType.HASH && PARTITION_KEY.equals(element.attributeName());
      range |= element.keyType() == KeyType.RANGE && SORT_KEY.equals(element.attributeName());
    }
    if (!hash || !range) {
      throw new FleetUnavailableException(
          "apigateway-otel fleet: the DynamoDB table "
              + name
              + " has the key schema "
              + table.keySchema()
              + ", not the fleet's ("
              + PARTITION_KEY
              + " HASH string, "
              + SORT_KEY
              + " RANGE string): name a table of its own in otel.apigateway.coordination",
          null);
    }
  }

  FleetUnavailableException unavailable(SdkException e) {
    if (e instanceof DynamoDbException dynamo && isAccessDenied(dynamo)) {
      return new FleetUnavailableException(
          "apigateway-otel fleet: access to the DynamoDB table "
              + name
              + " is denied ("
              + dynamo.awsErrorDetails().errorCode()
              + "): allow dynamodb:DescribeTable, GetItem,"
              + " PutItem, UpdateItem, DeleteItem, Query and BatchWriteItem on it (README, least-privilege policy);"
              + " no unit is worked until then",
          e);
    }
    return new FleetUnavailableException(
        "apigateway-otel fleet: the DynamoDB table "
            + name
            + " cannot be used ("
            + e.getMessage()
            + "); no unit is worked until it can",
        e);
  }

  private static boolean isAccessDenied(DynamoDbException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 403
        || "AccessDeniedException".equals(code)
        || "UnrecognizedClientException".equals(code);
  }
}
