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

#include <hiredis/hiredis.h>

#include <errno.h>
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
};

static void usage(const char *reason) {
    fprintf(stderr, "hiredis-peer: %s\n", reason);
    fprintf(stderr,
            "usage: hiredis-peer (--socket PATH | --host HOST --port PORT)\n"
            "       --command set|get --requests N [--pipeline P] [--value-size D]\n");
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
        } else {
            usage("unknown option");
        }
    }
    if (options.socket_path == NULL && (options.host == NULL || options.port == 0)) {
        usage("give --socket, or --host and --port");
    }
    if (options.is_get < 0 || options.requests == 0) usage("give --command and --requests");
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

int main(int argc, char **argv) {
    struct options options = parse_options(argc, argv);

    redisContext *context = options.socket_path != NULL
        ? redisConnectUnix(options.socket_path)
        : redisConnect(options.host, options.port);
    if (context == NULL || context->err != 0) {
        fprintf(stderr, "hiredis-peer: cannot connect: %s\n",
                context != NULL ? context->errstr : "out of memory");
        return 1;
    }

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
