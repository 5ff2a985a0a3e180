package dev.podium.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Token buckets per caller, kept in PostgreSQL (Bucket4j) so that every instance charges
 * the same bucket.
 * <p>
 * A round trip per call would cost more than the check may (well under a millisecond), so
 * each instance serves a bucket from its own copy (Bucket4j's manually synchronized
 * optimization) and, every {@code podium.rate-limit.sync-interval} on a thread of its
 * own, tells the database what it admitted for each bucket used since the last time and
 * takes back the bucket as every instance left it. A call waits for the database only the
 * first time an instance sees a bucket, or when the instance has admitted
 * {@code max-unsynced-tokens} calls from its copy since it last synced it. So an instance
 * never admits more than {@code max-unsynced-tokens} (and never more than one interval's
 * worth) that the others do not know of: across {@code n} instances a caller gets at most
 * about {@code (n - 1) * max-unsynced-tokens} calls beyond the bucket before every
 * instance refuses, and whatever was admitted is owed, since the bucket in the database
 * goes below zero and refills from there. A refusal is never wrong: a copy never holds
 * less than the database, since the other instances only take.
 */
@Service
public class RequestRates implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RequestRates.class);

	/**
	 * A bucket not used for this long leaves the instance's memory (not the database).
	 */
	private static final Duration IDLE = Duration.ofMinutes(10);

	/**
	 * A database that does not answer in time lets calls through rather than hang them.
	 */
	private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

	private final RateLimitProperties properties;

	private final ClockTimeMeter time;

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final Cache<String, LocalBucket> local;

	/**
	 * Copies used lately: what they admitted goes to the database and the bucket as every
	 * instance left it comes back, once per round in which they were used. A copy that
	 * refused a call takes part in one more round, so that it also learns what the
	 * instances that synced after it in the same round admitted, and does not grant that
	 * again when the bucket refills.
	 */
	private final Set<LocalBucket> touched = ConcurrentHashMap.newKeySet();

	private final Counter allowed;

	private final Counter refused;

	private final Counter syncs;

	private final ScheduledExecutorService syncer;

	RequestRates(RateLimitProperties properties, DataSource dataSource, Clock clock, MeterRegistry meters) {
		this.properties = properties;
		this.allowed = Counter.builder("podium.rate_limit.calls")
			.tag("outcome", "allowed")
			.description("API calls charged to a rate bucket")
			.register(meters);
		this.refused = Counter.builder("podium.rate_limit.calls")
			.tag("outcome", "refused")
			.description("API calls charged to a rate bucket")
			.register(meters);
		this.syncs = Counter.builder("podium.rate_limit.syncs")
			.description("Copies of rate buckets synced with the database")
			.register(meters);
		this.time = new ClockTimeMeter(clock);
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("rate_buckets")
			.clientClock(this.time)
			.requestTimeout(DATABASE_TIMEOUT)
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(properties.keepIdle()))
			.build();
		this.local = Caffeine.newBuilder()
			.maximumSize(properties.localBuckets())
			.expireAfterAccess(IDLE)
			.<String, LocalBucket>removalListener((key, bucket, cause) -> {
				// what it admitted still has to reach the database
				if (bucket != null && bucket.roundsLeft.get() > 0) {
					this.touched.add(bucket);
				}
			})
			.build();
		this.syncer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "podium-rate-sync");
			thread.setDaemon(true);
			return thread;
		});
		if (isOptimized()) {
			long interval = properties.syncInterval().toMillis();
			this.syncer.scheduleWithFixedDelay(this::syncQuietly, interval, interval, TimeUnit.MILLISECONDS);
		}
	}

	/** Charges one call to the caller's bucket. */
	public RequestRate charge(Caller caller) {
		RateLimitProperties.Limit limit = this.properties.limitOf(caller.kind());
		LocalBucket bucket = this.local.get(bucketId(caller, limit), (id) -> open(id, limit));
		ConsumptionProbe probe = bucket.proxy().tryConsumeAndReturnRemaining(1);
		(probe.isConsumed() ? this.allowed : this.refused).increment();
		if (isOptimized()) {
			if (probe.isConsumed()) {
				// too much admitted here that the other instances do not know of yet
				bucket.proxy()
					.getOptimizationController()
					.syncByCondition(this.properties.maxUnsyncedTokens(), Duration.ZERO);
			}
			int rounds = probe.isConsumed() ? 1 : 2;
			if (bucket.roundsLeft.getAndAccumulate(rounds, Math::max) <= 0) {
				this.touched.add(bucket);
			}
		}
		return RequestRate.of(limit, probe);
	}

	/**
	 * Tells the database what this instance admitted since the last time, and takes the
	 * buckets back as every instance left them.
	 * @return how many buckets were told
	 */
	public synchronized int sync() {
		int told = 0;
		RuntimeException failure = null;
		for (LocalBucket bucket : new ArrayList<>(this.touched)) {
			try {
				bucket.proxy().getOptimizationController().syncImmediately();
			}
			catch (RuntimeException ex) {
				// the bucket stays due, and the others are told all the same
				failure = ex;
				continue;
			}
			this.syncs.increment();
			told++;
			if (bucket.roundsLeft.decrementAndGet() <= 0) {
				this.touched.remove(bucket);
				if (bucket.roundsLeft.get() > 0) {
					// used again meanwhile
					this.touched.add(bucket);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		return told;
	}

	private void syncQuietly() {
		try {
			sync();
		}
		catch (RuntimeException ex) {
			log.warn("Could not tell the database about admitted calls; will retry: {}", ex.getMessage());
		}
	}

	/** Deletes buckets that have been full for {@code keep-idle}: they hold nothing. */
	@Scheduled(fixedDelayString = "${podium.rate-limit.sweep-interval:10m}", initialDelayString = "1m")
	public void sweep() {
		try {
			int removed;
			do {
				removed = this.buckets.removeExpired(1000);
			}
			while (removed == 1000);
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete idle rate buckets: {}", ex.getMessage());
		}
	}

	@Override
	public void destroy() {
		this.syncer.shutdownNow();
		if (isOptimized()) {
			syncQuietly();
		}
	}

	public RateLimitProperties settings() {
		return this.properties;
	}

	private boolean isOptimized() {
		return this.properties.maxUnsyncedTokens() > 0;
	}

	/**
	 * The limit is part of the id, so that a changed configuration starts a fresh bucket
	 * rather than meeting one of another shape.
	 */
	private static String bucketId(Caller caller, RateLimitProperties.Limit limit) {
		return caller.key() + "@" + limit.capacity() + "/" + limit.period().toSeconds() + "s";
	}

	private LocalBucket open(String id, RateLimitProperties.Limit limit) {
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(
					(bandwidth) -> bandwidth.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
			.build();
		RemoteBucketBuilder<String> builder = this.buckets.builder();
		if (isOptimized()) {
			builder = builder
				.withOptimization(new ManuallySyncingOptimization(NopeOptimizationListener.INSTANCE, this.time));
		}
		return new LocalBucket(builder.build(id, () -> configuration));
	}

	/** An instance's copy of a bucket; identity matters, not content. */
	private static final class LocalBucket {

		private final BucketProxy proxy;

		/** How many more sync rounds this copy takes part in. */
		private final AtomicInteger roundsLeft = new AtomicInteger();

		LocalBucket(BucketProxy proxy) {
			this.proxy = proxy;
		}

		BucketProxy proxy() {
			return this.proxy;
		}

	}

}
