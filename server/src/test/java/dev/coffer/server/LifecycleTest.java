package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.RawClient.Call;
import dev.coffer.server.RawClient.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown and the bounded queue, made deterministic with a key-access check that holds a
 * request on its worker until the test releases it.
 */
class LifecycleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Lets {@code bob}'s calls wait on {@link #release}; everyone else passes. */
  private static final class Gate implements PrincipalKeyAccess {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void check(String principal) {
      if (principal.equals("bob")) {
        entered.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  void closeLetsRunningRequestsFinishAndRefusesNewOnes() throws Exception {
    Gate gate = new Gate();
    ServeFixture serve = ServeFixture.start(dir, b -> b.keyAccess(gate));
    try {
      RawClient.send(
          serve.endpoint(),
          Call.dynamo(
              "CreateTable",
              """
          {"TableName": "Tbl", "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
           "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}"""));
      CompletableFuture<Reply> running =
          CompletableFuture.supplyAsync(
              () ->
                  RawClient.send(
                      serve.endpoint(),
                      Call.dynamo(
                              "PutItem",
                              "{\"TableName\": \"Tbl\", \"Item\": {\"k\": {\"S\": \"v\"}}}")
                          .as("bob")));
      assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
      int port = serve.server.port();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(serve.server::close);
      // new connections are refused while the running request holds the close
      boolean refused = false;
      for (int i = 0; i < 100 && !refused; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          assertThat(s.isConnected()).isTrue();
          Thread.sleep(50);
        } catch (IOException e) {
          refused = true;
        }
      }
      assertThat(refused).isTrue();
      assertThat(closing).isNotDone();
      gate.release.countDown();
      Reply r = running.get(30, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      closing.get(30, TimeUnit.SECONDS);
      // the write made it into the store, which is closed after the server
      assertThat(serve.store.table("Tbl").getItem(dev.coffer.Key.of("v"))).isPresent();
    } finally {
      gate.release.countDown();
      serve.close();
    }
    assertThatThrownBy(() -> serve.store.listTables()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFullQueueAnswers503Throttling() throws Exception {
    Gate gate = new Gate();
    try (ServeFixture serve =
        ServeFixture.start(dir, b -> b.keyAccess(gate).workerThreads(1).queueCapacity(1))) {
      String get = "{\"TableName\": \"Nope\", \"Key\": {\"k\": {\"S\": \"v\"}}}";
      CompletableFuture<Reply> running =
          CompletableFuture.supplyAsync(
              () -> RawClient.send(serve.endpoint(), Call.dynamo("GetItem", get).as("bob")));
      assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
      // the one worker is held: of the next seven calls one waits in the one queue slot, six are
      // refused at once
      List<CompletableFuture<Reply>> more = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        more.add(
            CompletableFuture.supplyAsync(
                () -> RawClient.send(serve.endpoint(), Call.dynamo("ListTables", "{}"))));
      }
      long refused = 0;
      for (int i = 0; i < 600 && refused < 6; i++) {
        refused = more.stream().filter(f -> f.isDone() && f.join().status() == 503).count();
        Thread.sleep(50);
      }
      assertThat(refused).isEqualTo(6);
      Reply throttled =
          more.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
      assertThat(JSON.readTree(throttled.body()).get("__type").asText())
          .isEqualTo("com.amazon.coral.availability#ThrottlingException");
      gate.release.countDown();
      assertThat(running.get(30, TimeUnit.SECONDS).status())
          .isEqualTo(400); // ResourceNotFound, once released
      for (CompletableFuture<Reply> f : more) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isIn(200, 503);
      }
    } finally {
      gate.release.countDown();
    }
  }
}
