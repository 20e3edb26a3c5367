#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

// hiredis' own headers, plus the few socket helpers that its 0.14 API lacks.
//
// hiredis 0.14 writes its output buffer with write(2), which raises SIGPIPE
// when the peer has gone. Rather than ignore SIGPIPE for the whole host
// process, the Swift side never calls redisBufferWrite: it drains the same
// buffer with chiredis_flush, which sends with MSG_NOSIGNAL (Linux) or on a
// socket marked SO_NOSIGPIPE (Darwin). These helpers can go once the package
// requires a hiredis that does not write with write(2).

#include <hiredis/hiredis.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#ifndef MSG_NOSIGNAL
#define CHIREDIS_SEND_FLAGS 0
#else
#define CHIREDIS_SEND_FLAGS MSG_NOSIGNAL
#endif

/// Marks the socket so that a write to a closed peer fails with EPIPE
/// instead of raising SIGPIPE, where the platform has such an option.
static inline void chiredis_disable_sigpipe(int fd) {
#ifdef SO_NOSIGPIPE
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on));
#else
    (void)fd;
#endif
}

/// Sends as much of the context's output buffer as the socket takes.
/// Returns the number of bytes still waiting, or -errno on a socket error.
static inline long chiredis_flush(redisContext *c) {
    size_t length = sdslen(c->obuf);
    while (length > 0) {
        ssize_t sent = send(c->fd, c->obuf, length, CHIREDIS_SEND_FLAGS);
        if (sent < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            return -errno;
        }
        if ((size_t)sent == length) {
            sdsclear(c->obuf);
            length = 0;
        } else {
            sdsrange(c->obuf, (int)sent, -1);
            length -= (size_t)sent;
        }
    }
    return (long)length;
}

/// Reads what the socket holds, up to `capacity` bytes, into `buffer`.
/// Returns the byte count, 0 at end of stream, -EAGAIN when nothing is
/// ready, or another -errno on a socket error.
static inline long chiredis_receive(int fd, char *buffer, size_t capacity) {
    for (;;) {
        ssize_t count = recv(fd, buffer, capacity, 0);
        if (count >= 0) return (long)count;
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) return -EAGAIN;
        return -errno;
    }
}

/// Opens a wake-up channel: `*wait_fd` becomes readable once something is
/// written to `*signal_fd` (an eventfd on Linux, where both are the same
/// descriptor; a non-blocking pipe elsewhere). Returns 0, or -errno.
static inline int chiredis_waker_open(int *wait_fd, int *signal_fd) {
#ifdef __linux__
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) return -errno;
    *wait_fd = fd;
    *signal_fd = fd;
#else
    int fds[2];
    if (pipe(fds) != 0) return -errno;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    *wait_fd = fds[0];
    *signal_fd = fds[1];
#endif
    return 0;
}

/// Makes the waker's wait descriptor readable.
static inline void chiredis_waker_signal(int signal_fd) {
#ifdef __linux__
    uint64_t one = 1;
    ssize_t written = write(signal_fd, &one, sizeof(one));
#else
    char one = 1;
    ssize_t written = write(signal_fd, &one, 1);
#endif
    (void)written;  // Full means it is readable already, which is all a signal asks.
}

#if defined(__linux__) && !defined(POLLRDHUP)
#define POLLRDHUP 0x2000  // Linux's value; <poll.h> shows it only under _GNU_SOURCE.
#endif
#ifndef POLLRDHUP
#define POLLRDHUP 0
#endif

/// Blocks until `fd` is readable (or closed, or failed) or `wake_fd` is
/// signalled, with no timeout, then consumes any signal.
/// Returns 1 when `fd` has bytes, 2 when it also reports that the peer
/// closed or the socket failed, 0 when woken or interrupted, -errno on error.
static inline int chiredis_await_readable(int fd, int wake_fd) {
    struct pollfd watched[2] = {
        {.fd = fd, .events = POLLIN | POLLRDHUP, .revents = 0},
        {.fd = wake_fd, .events = POLLIN, .revents = 0},
    };
    // No timeout on purpose: arming a timer for each wait costs more than
    // the wait itself on virtual machines. The waker bounds the wait instead.
    int ready = poll(watched, 2, -1);
    if (ready < 0) return errno == EINTR ? 0 : -errno;
    if (watched[1].revents != 0) {
        char drained[64];
        while (read(wake_fd, drained, sizeof(drained)) > 0) {}
    }
    short events = watched[0].revents;
    if (events & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) return 2;
    return events != 0 ? 1 : 0;
}

/// The pending error of a non-blocking connect: 0 once it succeeded.
static inline int chiredis_socket_error(int fd) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
}

/// Writes `prefix`, `number` in decimal and CRLF at `out`; returns the end.
static inline char *chiredis_put_length(char *out, char prefix, size_t number) {
    char digits[20];
    int count = 0;
    do {
        digits[count++] = (char)('0' + number % 10);
        number /= 10;
    } while (number > 0);
    *out++ = prefix;
    while (count > 0) *out++ = digits[--count];
    *out++ = '\r';
    *out++ = '\n';
    return out;
}

/// The bytes that chiredis_put_length writes for `number`.
static inline size_t chiredis_length_size(size_t number) {
    size_t size = 4;
    while (number >= 10) {
        number /= 10;
        size++;
    }
    return size;
}

/// Appends one command to the output buffer in RESP, the same bytes that
/// redisAppendCommandArgv appends (binary-safe, argv-style), written
/// straight into the buffer. hiredis 0.14 first builds each command in a
/// temporary sds with sdscatfmt, which costs about 2,500 instructions for
/// a short SET, several times what writing the bytes takes.
/// Returns REDIS_OK, or REDIS_ERR when the buffer cannot grow.
static inline int chiredis_append_command(
    redisContext *c, int argc, const char **argv, const size_t *lengths) {
    size_t total = chiredis_length_size((size_t)argc);
    for (int i = 0; i < argc; i++) {
        total += chiredis_length_size(lengths[i]) + lengths[i] + 2;
    }
    // sdsIncrLen takes an int: leave a command of 2 GB or more to hiredis.
    if (total > (size_t)INT_MAX) {
        return redisAppendCommandArgv(c, argc, argv, lengths);
    }
    sds buffer = sdsMakeRoomFor(c->obuf, total);
    if (buffer == NULL) return REDIS_ERR;
    c->obuf = buffer;

    char *out = buffer + sdslen(buffer);
    out = chiredis_put_length(out, '*', (size_t)argc);
    for (int i = 0; i < argc; i++) {
        out = chiredis_put_length(out, '$', lengths[i]);
        if (lengths[i] > 0) memcpy(out, argv[i], lengths[i]);
        out += lengths[i];
        *out++ = '\r';
        *out++ = '\n';
    }
    sdsIncrLen(buffer, (int)total);
    return REDIS_OK;
}

#endif
