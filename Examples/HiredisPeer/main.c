// The raw-hiredis peer of the Swift benchmark: the same SET or GET loop,
// written against hiredis' plain blocking API, so that the Swift client can
// be compared with what the C library does on its own in the same run.
//
//   hiredis-peer (--socket PATH | --host HOST --port PORT)
//                --command set|get --requests N [--pipeline P] [--value-size D]
//
// With --pipeline 1 (the default) each command is one redisCommandArgv round
// trip. With --pipeline P, P commands are appended with
// redisAppendCommandArgv and their P replies read with redisGetReply, so one
// round trip carries P commands.
//
// It prints one line of key=value pairs on stdout:
//
//   requests=N seconds=S user_seconds=U system_seconds=Y
//
// where the times cover only the measured loop (not the connect or the
// warm-up), and the CPU times are this process's own (getrusage).
//
// With --subscribe N it measures pub/sub instead: N threads each open a
// blocking connection and SUBSCRIBE to one channel, and the main thread
// publishes --messages M payloads of --value-size bytes to it on a
// connection of its own:
//
//   hiredis-peer ADDRESS --subscribe N --messages M [--pipeline P] [--value-size D]
//   hiredis-peer ADDRESS --subscribe N --messages M --rate R [--value-size D]
//
// Without --rate the publisher sends as fast as it can, P PUBLISH per round
// trip, and `requests` counts deliveries (N x M) until the last subscriber
// has its last message. With --rate it sends one PUBLISH at a time, R per
// second on a fixed schedule, each payload starting with CLOCK_MONOTONIC
// in nanoseconds, and the line ends with the publish-to-receive latency
// over every delivery:  p50_us=A p99_us=B
//
// Both first warm up with a tenth as many messages, and wait until every
// subscriber has them, before the measured part starts.

#include <hiredis/hiredis.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct options {
    const char *socket_path;
    const char *host;
    int port;
    int is_get;
    long requests;
    long pipeline;
    long value_size;
    long subscribers;
    long messages;
    long rate;
};

static void usage(const char *reason) {
    fprintf(stderr, "hiredis-peer: %s\n", reason);
    fprintf(stderr,
            "usage: hiredis-peer (--socket PATH | --host HOST --port PORT)\n"
            "       --command set|get --requests N [--pipeline P] [--value-size D]\n"
            "   or: hiredis-peer (--socket PATH | --host HOST --port PORT)\n"
            "       --subscribe N --messages M [--pipeline P | --rate R] [--value-size D]\n");
    exit(2);
}

static long parse_count(const char *text, const char *name) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1) {
        fprintf(stderr, "hiredis-peer: %s must be a positive number, not '%s'\n", name, text);
        exit(2);
    }
    return value;
}

static struct options parse_options(int argc, char **argv) {
    struct options options = {
        .socket_path = NULL, .host = NULL, .port = 0,
        .is_get = -1, .requests = 0, .pipeline = 1, .value_size = 3,
        .subscribers = 0, .messages = 0, .rate = 0,
    };
    for (int index = 1; index < argc; index += 2) {
        const char *name = argv[index];
        if (index + 1 >= argc) usage("every option takes a value");
        const char *value = argv[index + 1];

        if (strcmp(name, "--socket") == 0) {
            options.socket_path = value;
        } else if (strcmp(name, "--host") == 0) {
            options.host = value;
        } else if (strcmp(name, "--port") == 0) {
            options.port = (int)parse_count(value, "--port");
        } else if (strcmp(name, "--command") == 0) {
            if (strcmp(value, "set") == 0) options.is_get = 0;
            else if (strcmp(value, "get") == 0) options.is_get = 1;
            else usage("--command is set or get");
        } else if (strcmp(name, "--requests") == 0) {
            options.requests = parse_count(value, "--requests");
        } else if (strcmp(name, "--pipeline") == 0) {
            options.pipeline = parse_count(value, "--pipeline");
        } else if (strcmp(name, "--value-size") == 0) {
            options.value_size = parse_count(value, "--value-size");
        } else if (strcmp(name, "--subscribe") == 0) {
            options.subscribers = parse_count(value, "--subscribe");
        } else if (strcmp(name, "--messages") == 0) {
            options.messages = parse_count(value, "--messages");
        } else if (strcmp(name, "--rate") == 0) {
            options.rate = parse_count(value, "--rate");
        } else {
            usage("unknown option");
        }
    }
    if (options.socket_path == NULL && (options.host == NULL || options.port == 0)) {
        usage("give --socket, or --host and --port");
    }
    if (options.subscribers > 0) {
        if (options.messages == 0) usage("--subscribe needs --messages");
    } else if (options.is_get < 0 || options.requests == 0) {
        usage("give --command and --requests, or --subscribe and --messages");
    }
    return options;
}

static double now_seconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

static double seconds_of(struct timeval time) {
    return (double)time.tv_sec + (double)time.tv_usec / 1e6;
}

/// Checks a reply the way a real caller would (it must exist and not be an
/// error), then frees it.
static void take_reply(redisContext *context, redisReply *reply) {
    if (reply == NULL) {
        fprintf(stderr, "hiredis-peer: the connection failed: %s\n", context->errstr);
        exit(1);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        fprintf(stderr, "hiredis-peer: the server answered: %s\n", reply->str);
        exit(1);
    }
    freeReplyObject(reply);
}

/// Runs `rounds` round trips of `pipeline` commands each.
static void run(redisContext *context, long rounds, long pipeline,
                int argc, const char **argv, const size_t *lengths) {
    for (long round = 0; round < rounds; round++) {
        if (pipeline == 1) {
            take_reply(context, redisCommandArgv(context, argc, argv, lengths));
            continue;
        }
        for (long index = 0; index < pipeline; index++) {
            redisAppendCommandArgv(context, argc, argv, lengths);
        }
        for (long index = 0; index < pipeline; index++) {
            void *reply = NULL;
            if (redisGetReply(context, &reply) != REDIS_OK) reply = NULL;
            take_reply(context, reply);
        }
    }
}

/// A blocking connection to the server, or the end of the program.
static redisContext *connect_to(const struct options *options) {
    redisContext *context = options->socket_path != NULL
        ? redisConnectUnix(options->socket_path)
        : redisConnect(options->host, options->port);
    if (context == NULL || context->err != 0) {
        fprintf(stderr, "hiredis-peer: cannot connect: %s\n",
                context != NULL ? context->errstr : "out of memory");
        exit(1);
    }
    return context;
}

// MARK: Pub/sub

static const char *pubsub_channel = "bench:peer:pubsub";

static long long monotonic_nanoseconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

/// What the subscriber threads and the publisher share.
struct pubsub_run {
    /// Every subscriber is subscribed (the publisher may start).
    pthread_barrier_t subscribed;
    /// Every subscriber has received the warm-up messages.
    pthread_barrier_t warmed_up;
    long warm_up;
    long messages;
    int records_latency;
};

/// One subscriber thread and the connection only it uses.
struct subscriber {
    pthread_t thread;
    redisContext *context;
    struct pubsub_run *run;
    /// Microseconds from publish to receive, one per measured message (--rate).
    double *latencies;
    /// When the last measured message arrived (now_seconds).
    double finished_at;
};

/// Reads one published message and returns the number its payload starts
/// with; `received` gets the monotonic time right after the read. Any
/// failure ends the program: a subscriber that lost a message would wait
/// for it forever.
static long long take_message(redisContext *context, long long *received) {
    void *reply = NULL;
    if (redisGetReply(context, &reply) != REDIS_OK || reply == NULL) {
        fprintf(stderr, "hiredis-peer: a subscriber's connection failed: %s\n",
                context->errstr);
        exit(1);
    }
    if (received != NULL) *received = monotonic_nanoseconds();

    redisReply *message = reply;
    if (message->type != REDIS_REPLY_ARRAY || message->elements != 3
        || message->element[2]->type != REDIS_REPLY_STRING) {
        fprintf(stderr, "hiredis-peer: a subscriber received something else than a message\n");
        exit(1);
    }
    long long stamp = strtoll(message->element[2]->str, NULL, 10);
    freeReplyObject(reply);
    return stamp;
}

static void *run_subscriber(void *argument) {
    struct subscriber *subscriber = argument;
    struct pubsub_run *run = subscriber->run;

    pthread_barrier_wait(&run->subscribed);
    for (long index = 0; index < run->warm_up; index++) take_message(subscriber->context, NULL);
    pthread_barrier_wait(&run->warmed_up);

    for (long index = 0; index < run->messages; index++) {
        long long received = 0;
        long long stamp = take_message(subscriber->context, &received);
        if (run->records_latency) {
            subscriber->latencies[index] = (double)(received - stamp) / 1e3;
        }
    }
    subscriber->finished_at = now_seconds();
    return NULL;
}

/// Publishes `count` payloads of `value_size` bytes: `pipeline` PUBLISH per
/// round trip, or with a `rate`, one at a time on a fixed schedule, each
/// payload starting with the time it was sent.
static void publish(redisContext *context, long count, const struct options *options) {
    size_t size = options->value_size > 24 ? (size_t)options->value_size : 24;
    char *payload = malloc(size + 1);
    if (payload == NULL) exit(1);
    memset(payload, 'x', size);
    payload[size] = '\0';
    const char *publish_argv[] = {"PUBLISH", pubsub_channel, payload};
    size_t publish_lengths[] = {7, strlen(pubsub_channel), (size_t)options->value_size};

    if (options->rate == 0) {
        for (long sent = 0; sent < count; sent += options->pipeline) {
            long batch = count - sent < options->pipeline ? count - sent : options->pipeline;
            for (long index = 0; index < batch; index++) {
                redisAppendCommandArgv(context, 3, publish_argv, publish_lengths);
            }
            for (long index = 0; index < batch; index++) {
                void *reply = NULL;
                if (redisGetReply(context, &reply) != REDIS_OK) reply = NULL;
                take_reply(context, reply);
            }
        }
        free(payload);
        return;
    }

    long long interval = 1000000000LL / options->rate;
    long long first = monotonic_nanoseconds();
    for (long index = 0; index < count; index++) {
        long long due = first + index * interval;
        struct timespec until = {.tv_sec = due / 1000000000LL, .tv_nsec = due % 1000000000LL};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {}

        // The stamp, then padding up to the payload size.
        int length = snprintf(payload, size + 1, "%lld", monotonic_nanoseconds());
        memset(payload + length, 'x', size - (size_t)length);
        publish_lengths[2] = size > (size_t)options->value_size ? (size_t)length : size;
        take_reply(context, redisCommandArgv(context, 3, publish_argv, publish_lengths));
    }
    free(payload);
}

static int compare_doubles(const void *left, const void *right) {
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

/// The nearest-rank percentile `quantile` (0 to 1) of `sorted`.
static double percentile(const double *sorted, long count, double quantile) {
    double exact = quantile * (double)count;
    long rank = (long)exact;
    if ((double)rank < exact) rank += 1;
    return sorted[rank > 0 ? rank - 1 : 0];
}

static int run_pubsub(const struct options *options) {
    long count = options->subscribers;
    long messages = options->messages;
    struct pubsub_run run = {
        .warm_up = messages / 10 > 0 ? messages / 10 : 1,
        .messages = messages,
        .records_latency = options->rate > 0,
    };
    pthread_barrier_init(&run.subscribed, NULL, (unsigned)count + 1);
    pthread_barrier_init(&run.warmed_up, NULL, (unsigned)count + 1);

    // Subscribe on this thread, so that a refusal is reported before any
    // thread starts; a subscriber that waits 30 s for a message gives up.
    struct subscriber *subscribers = calloc((size_t)count, sizeof *subscribers);
    if (subscribers == NULL) return 1;
    const char *subscribe_argv[] = {"SUBSCRIBE", pubsub_channel};
    const size_t subscribe_lengths[] = {9, strlen(pubsub_channel)};
    for (long index = 0; index < count; index++) {
        struct subscriber *subscriber = &subscribers[index];
        subscriber->context = connect_to(options);
        subscriber->run = &run;
        redisSetTimeout(subscriber->context, (struct timeval){.tv_sec = 30, .tv_usec = 0});
        take_reply(subscriber->context,
                   redisCommandArgv(subscriber->context, 2, subscribe_argv, subscribe_lengths));
        if (run.records_latency) {
            subscriber->latencies = malloc((size_t)messages * sizeof(double));
            if (subscriber->latencies == NULL) return 1;
        }
        if (pthread_create(&subscriber->thread, NULL, run_subscriber, subscriber) != 0) {
            fprintf(stderr, "hiredis-peer: cannot start a subscriber thread\n");
            return 1;
        }
    }
    redisContext *publisher = connect_to(options);

    pthread_barrier_wait(&run.subscribed);
    publish(publisher, run.warm_up, options);
    pthread_barrier_wait(&run.warmed_up);

    struct rusage usage_before, usage_after;
    getrusage(RUSAGE_SELF, &usage_before);
    double start = now_seconds();
    publish(publisher, messages, options);
    double finished = start;
    for (long index = 0; index < count; index++) {
        pthread_join(subscribers[index].thread, NULL);
        if (subscribers[index].finished_at > finished) finished = subscribers[index].finished_at;
    }
    getrusage(RUSAGE_SELF, &usage_after);

    printf("requests=%ld seconds=%.6f user_seconds=%.6f system_seconds=%.6f",
           count * messages, finished - start,
           seconds_of(usage_after.ru_utime) - seconds_of(usage_before.ru_utime),
           seconds_of(usage_after.ru_stime) - seconds_of(usage_before.ru_stime));
    if (run.records_latency) {
        double *all = malloc((size_t)(count * messages) * sizeof(double));
        if (all == NULL) return 1;
        for (long index = 0; index < count; index++) {
            memcpy(all + index * messages, subscribers[index].latencies,
                   (size_t)messages * sizeof(double));
        }
        qsort(all, (size_t)(count * messages), sizeof(double), compare_doubles);
        printf(" p50_us=%.1f p99_us=%.1f", percentile(all, count * messages, 0.50),
               percentile(all, count * messages, 0.99));
        free(all);
    }
    printf("\n");

    for (long index = 0; index < count; index++) {
        redisFree(subscribers[index].context);
        free(subscribers[index].latencies);
    }
    free(subscribers);
    redisFree(publisher);
    pthread_barrier_destroy(&run.subscribed);
    pthread_barrier_destroy(&run.warmed_up);
    return 0;
}

// MARK: Main

int main(int argc, char **argv) {
    struct options options = parse_options(argc, argv);
    if (options.subscribers > 0) return run_pubsub(&options);

    redisContext *context = connect_to(&options);

    // The same key and value shape as the Swift side: a fixed key, a value
    // of `value_size` bytes.
    char *value = malloc((size_t)options.value_size);
    if (value == NULL) return 1;
    memset(value, 'x', (size_t)options.value_size);
    const char *key = "bench:peer:key";
    const char *set_argv[] = {"SET", key, value};
    const size_t set_lengths[] = {3, strlen(key), (size_t)options.value_size};
    const char *get_argv[] = {"GET", key};
    const size_t get_lengths[] = {3, strlen(key)};
    int command_argc = options.is_get ? 2 : 3;
    const char **command_argv = options.is_get ? get_argv : set_argv;
    const size_t *command_lengths = options.is_get ? get_lengths : set_lengths;

    // GET reads a key that holds a value of the right size.
    take_reply(context, redisCommandArgv(context, 3, set_argv, set_lengths));

    long pipeline = options.pipeline;
    long rounds = (options.requests + pipeline - 1) / pipeline;
    long warm_up_rounds = rounds / 10 > 0 ? rounds / 10 : 1;
    run(context, warm_up_rounds, pipeline, command_argc, command_argv, command_lengths);

    struct rusage usage_before, usage_after;
    getrusage(RUSAGE_SELF, &usage_before);
    double start = now_seconds();
    run(context, rounds, pipeline, command_argc, command_argv, command_lengths);
    double elapsed = now_seconds() - start;
    getrusage(RUSAGE_SELF, &usage_after);

    printf("requests=%ld seconds=%.6f user_seconds=%.6f system_seconds=%.6f\n",
           rounds * pipeline, elapsed,
           seconds_of(usage_after.ru_utime) - seconds_of(usage_before.ru_utime),
           seconds_of(usage_after.ru_stime) - seconds_of(usage_before.ru_stime));

    redisFree(context);
    free(value);
    return 0;
}
