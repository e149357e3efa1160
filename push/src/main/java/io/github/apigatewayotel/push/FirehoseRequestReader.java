package io.github.apigatewayotel.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a Firehose HTTP endpoint delivery request ({@code {"requestId": ..., "timestamp": ...,
 * "records": [{"data": base64}, ...]}}) as a stream: each record's data is decoded and handed on
 * before the next is read, so memory holds one record (at most 1,000 KiB by Firehose's limit)
 * whatever the body's size.
 */
final class FirehoseRequestReader {

  /** Firehose's largest record is 1,000 KiB; base64 makes it 4/3 of that. */
  static final int MAX_RECORD_TEXT = 2 * 1024 * 1024;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_RECORD_TEXT).build())
          // the exchange's body stays open: a refused body is drained before the answer
          // (FirehoseEndpoint)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .build();

  /** Receives each record's decoded data, in order. */
  interface RecordSink {
    void record(byte[] data);
  }

  /** The body was not Firehose JSON; the message says what was wrong. */
  static final class NotFirehoseJson extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFirehoseJson(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The request's own fields. */
  record Header(String requestId, long timestamp, int records) {}

  private FirehoseRequestReader() {}

  static Header read(InputStream body, RecordSink sink) throws IOException {
    String requestId = null;
    long timestamp = -1;
    int records = 0;
    boolean sawRecords = false;
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new NotFirehoseJson("the body is not a JSON object", null);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "requestId" -> requestId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "timestamp" -> timestamp = value.isNumeric() ? parser.getLongValue() : -1;
          case "records" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new NotFirehoseJson("\"records\" is not an array", null);
            }
            sawRecords = true;
            for (JsonToken t = parser.nextToken();
                t != JsonToken.END_ARRAY;
                t = parser.nextToken()) {
              if (t != JsonToken.START_OBJECT) {
                throw new NotFirehoseJson("record " + records + " is not an object", null);
              }
              byte[] data = null;
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken v = parser.nextToken();
                if ("data".equals(name) && v == JsonToken.VALUE_STRING) {
                  try {
                    data = parser.getBinaryValue();
                  } catch (JsonProcessingException e) {
                    throw new NotFirehoseJson("record " + records + ": \"data\" is not base64", e);
                  }
                } else {
                  parser.skipChildren();
                }
              }
              if (data == null) {
                throw new NotFirehoseJson("record " + records + " has no \"data\" string", null);
              }
              sink.record(data);
              records++;
            }
          }
          default -> parser.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new NotFirehoseJson("the body is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!sawRecords) {
      throw new NotFirehoseJson("the body has no \"records\" array", null);
    }
    return new Header(requestId, timestamp, records);
  }
}
