package org.grokscope.actors;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grokscope.protocol.events.DetectorEvent;
import org.grokscope.protocol.events.GrokkingDetected;
import org.grokscope.protocol.events.PrecursorDetected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where alerts go: the log, {@code alerts.jsonl} in the data directory, and, when configured, a
 * webhook (HTTP POST of the JSON) retried with exponential backoff on its own threads, so a dead
 * endpoint never slows or harms a run. Each finding is alerted once per run and kind: the file is
 * the record of what was delivered, so a finding journaled just before a crash, whose line never
 * reached the file, is delivered when the run's followers start again, and one already there is
 * not sent twice.
 */
public final class AlertSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSink.class);

    private final Path file;
    private final URI webhook;
    private final int retries;
    private final Duration backoff;
    private final Duration timeout;
    private final Duration closeTimeout;
    private final HttpClient http;
    /** Webhook deliveries not yet done (delivered or given up): close waits for them. */
    private final java.util.Set<CompletableFuture<Void>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retryTimer;
    private final java.util.List<java.util.function.Consumer<String>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** "run kind" of every alert in the file, read on first use; one process owns a data directory. */
    private java.util.Set<String> delivered;
    private static final Pattern RUN = Pattern.compile("\"run\":\"([^\"]*)\"");
    private static final Pattern KIND = Pattern.compile("\"kind\":\"([^\"]*)\"");

    public AlertSink(Path dataDir, Config config) {
        Config c = config.getConfig("grokscope.alerts");
        this.file = dataDir.resolve(c.getString("file"));
        String url = c.getString("webhook");
        this.webhook = url.isBlank() ? null : URI.create(url);
        this.retries = c.getInt("retries");
        this.backoff = c.getDuration("backoff");
        this.timeout = c.getDuration("timeout");
        this.closeTimeout = c.getDuration("close-timeout");
        this.http = webhook == null ? null : HttpClient.newBuilder().connectTimeout(timeout).build();
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grokscope-alerts");
            t.setDaemon(true);
            return t;
        });
    }

    public Path file() {
        return file;
    }

    /** Also hand each alert to this listener (the console view). */
    public void addListener(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Alerts one journaled finding everywhere configured, unless the alerts file already has the
     * run's alert of that kind.
     */
    public void publish(String runId, DetectorEvent finding) {
        String json = line(runId, finding, System.currentTimeMillis());
        synchronized (this) {
            if (!delivered().add(key(runId, kindOf(finding)))) {
                return;
            }
            try {
                Files.writeString(file, json + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.error("cannot append to {}: {}", file, e.toString());
            }
        }
        LOG.info("alert {}", json);
        listeners.forEach(l -> l.accept(json));
        if (webhook != null) {
            CompletableFuture<Void> delivery = new CompletableFuture<>();
            pending.add(delivery);
            delivery.whenComplete((v, e) -> pending.remove(delivery));
            post(json, 0, delivery);
        }
    }

    /** Whether the alerts file has the run's alert of this finding's kind. */
    public synchronized boolean recorded(String runId, DetectorEvent finding) {
        return delivered().contains(key(runId, kindOf(finding)));
    }

    /** The alert as one line of JSON; `watch` and webhook receivers read exactly these fields. */
    static String line(String runId, DetectorEvent finding, long now) {
        if (finding instanceof GrokkingDetected g) {
            return String.format(java.util.Locale.ROOT,
                    "{\"time\":%d,\"run\":\"%s\",\"kind\":\"grokking-detected\",\"t_fit\":%d,\"t_onset\":%d,\"t_grok\":%d}",
                    now, runId, g.tFit(), g.tOnset(), g.tGrok());
        }
        PrecursorDetected p = (PrecursorDetected) finding;
        return String.format(java.util.Locale.ROOT, "{\"time\":%d,\"run\":\"%s\",\"kind\":\"%s\",\"epoch\":%d}", now,
                runId, p.kind(), p.epoch());
    }

    static String kindOf(DetectorEvent finding) {
        return finding instanceof PrecursorDetected p ? p.kind() : "grokking-detected";
    }

    private static String key(String runId, String kind) {
        return runId + " " + kind;
    }

    private java.util.Set<String> delivered() {
        if (delivered == null) {
            delivered = new java.util.HashSet<>();
            if (Files.exists(file)) {
                try {
                    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        Matcher run = RUN.matcher(l);
                        Matcher kind = KIND.matcher(l);
                        if (run.find() && kind.find()) {
                            delivered.add(key(run.group(1), kind.group(1)));
                        }
                    }
                } catch (IOException e) {
                    LOG.error("cannot read {}: {}; alerts may repeat", file, e.toString());
                }
            }
        }
        return delivered;
    }

    private void post(String json, int attempt, CompletableFuture<Void> delivery) {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        sent.whenComplete((response, error) -> {
            boolean ok = error == null && response.statusCode() / 100 == 2;
            if (ok) {
                delivery.complete(null);
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (attempt < retries) {
                long delay = backoff.toMillis() << attempt;
                LOG.warn("webhook {} failed ({}); retry {} in {} ms", webhook, why, attempt + 1, delay);
                try {
                    retryTimer.schedule(() -> post(json, attempt + 1, delivery), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    delivery.complete(null);
                }
            } else {
                LOG.warn("webhook {} failed ({}); giving up, the alert is in {}", webhook, why, file);
                delivery.complete(null);
            }
        });
    }

    /**
     * Waits up to {@code grokscope.alerts.close-timeout} for webhook deliveries still being tried,
     * so an alert raised just before the process ends (a run grokking in its last epochs) still gets
     * its retries; what is left is logged and stays in the alerts file.
     */
    @Override
    public void close() {
        CompletableFuture<?>[] left = pending.toArray(new CompletableFuture<?>[0]);
        if (left.length > 0) {
            try {
                CompletableFuture.allOf(left).get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warn("{} alert(s) not delivered to webhook {} in {}; they are in {}", pending.size(), webhook,
                        closeTimeout, file);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // deliveries only ever complete normally
            }
        }
        retryTimer.shutdownNow();
    }
}
