/*
 * Cheap load generator for HandshakeBench (docs/benchmarks.md, "Mutual-TLS handshakes"): full TLS 1.3
 * mutual-TLS handshakes against the backend with OpenSSL, so the clients take little of the CPU the
 * server needs. One thread per device; each connection uses a new SSL object from a context whose
 * session cache is off and from which no session is ever reused, so every handshake is full.
 *
 * A connection: TCP (TCP_NODELAY), SSL_connect, then in mode "full" close_notify and wait for the
 * server's close_notify (it answers only after processing the client's certificate, CertificateVerify
 * and Finished, revocation check included); in mode "full-request" GET /DEFAULT/controller/v1/<id>
 * and the status line "HTTP/1.1 200". The server chain is not verified unless a CA file is given
 * (the client signs with its key and checks the server's CertificateVerify either way).
 *
 * Build: gcc -O2 -o handshake-load handshake-load.c -lssl -lcrypto -lpthread
 * Run:   handshake-load HOST PORT CERTDIR THREADS WARMUP_S ITERATIONS SECONDS MODE SERVER_PID [CAFILE]
 *        CERTDIR holds bench-NN.crt (leaf then intermediate, PEM) and bench-NN.key (PEM) for NN < THREADS.
 * Prints per-iteration rates and one line
 *   RESULT median min max handshakes errors clientCpuMsPerHandshake serverCpuMsPerHandshake
 * with CPU time from getrusage (this process) and /proc/SERVER_PID/stat (the server JVM) over the
 * measured iterations.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;
static int request_mode;
static atomic_long done, errors;
static atomic_int stop;

struct client {
    SSL_CTX *ctx;
    char id[64];
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double own_cpu(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* utime + stime of another process, in seconds (fields 14 and 15 of /proc/PID/stat). */
static double process_cpu(long pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    unsigned long utime = 0, stime = 0;
    if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) {
        return -1;
    }
    return (utime + stime) / (double) sysconf(_SC_CLK_TCK);
}

static int connect_once(struct client *c) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *) &server, sizeof server) != 0) {
        close(fd);
        return 0;
    }
    SSL *ssl = SSL_new(c->ctx);
    SSL_set_fd(ssl, fd);
    int ok = SSL_connect(ssl) == 1;
    if (ok && request_mode) {
        char req[256];
        int len = snprintf(req, sizeof req, "GET /DEFAULT/controller/v1/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                c->id);
        char status[13] = {0};
        int got = 0;
        ok = SSL_write(ssl, req, len) == len;
        while (ok && got < 12) {
            int r = SSL_read(ssl, status + got, 12 - got);
            ok = r > 0;
            got += ok ? r : 0;
        }
        ok = ok && strcmp(status, "HTTP/1.1 200") == 0;
        if (ok) {
            SSL_shutdown(ssl);
        }
    } else if (ok) {
        /* First call sends close_notify; the second waits for the server's (after any session tickets). */
        ok = SSL_shutdown(ssl) >= 0 && SSL_shutdown(ssl) == 1;
    }
    SSL_free(ssl);
    close(fd);
    return ok;
}

static void *run(void *arg) {
    struct client *c = arg;
    while (!atomic_load(&stop)) {
        if (connect_once(c)) {
            atomic_fetch_add(&done, 1);
        } else if (atomic_fetch_add(&errors, 1) < 3) {
            fprintf(stderr, "# error (%s): ", c->id);
            ERR_print_errors_fp(stderr);
            fprintf(stderr, "\n");
        }
        ERR_clear_error();
    }
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 10) {
        fprintf(stderr, "usage: %s HOST PORT CERTDIR THREADS WARMUP_S ITERATIONS SECONDS full|full-request SERVER_PID [CAFILE]\n",
                argv[0]);
        return 2;
    }
    int threads = atoi(argv[4]), warmup = atoi(argv[5]), iterations = atoi(argv[6]), seconds = atoi(argv[7]);
    long server_pid = atol(argv[9]);
    request_mode = strcmp(argv[8], "full-request") == 0;
    server.sin_family = AF_INET;
    server.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &server.sin_addr);
    struct client *clients = calloc(threads, sizeof *clients);
    for (int i = 0; i < threads; i++) {
        char crt[512], key[512];
        snprintf(clients[i].id, sizeof clients[i].id, "bench-%02d", i);
        snprintf(crt, sizeof crt, "%s/%s.crt", argv[3], clients[i].id);
        snprintf(key, sizeof key, "%s/%s.key", argv[3], clients[i].id);
        SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        if (SSL_CTX_use_certificate_chain_file(ctx, crt) != 1 || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
            ERR_print_errors_fp(stderr);
            return 1;
        }
        if (argc > 10) {
            SSL_CTX_load_verify_locations(ctx, argv[10], NULL);
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        }
        clients[i].ctx = ctx;
    }
    pthread_t *ids = calloc(threads, sizeof *ids);
    for (int i = 0; i < threads; i++) {
        pthread_create(&ids[i], NULL, run, &clients[i]);
    }
    sleep(warmup);
    double *rates = calloc(iterations, sizeof *rates);
    long done0 = atomic_load(&done), errors0 = atomic_load(&errors);
    double cpu0 = own_cpu(), server0 = process_cpu(server_pid);
    for (int i = 0; i < iterations; i++) {
        long n0 = atomic_load(&done);
        double t0 = now();
        sleep(seconds);
        rates[i] = (atomic_load(&done) - n0) / (now() - t0);
        printf("# iteration %d: %.1f handshakes/s\n", i + 1, rates[i]);
        fflush(stdout);
    }
    long measured = atomic_load(&done) - done0, measured_errors = atomic_load(&errors) - errors0;
    double cpu = own_cpu() - cpu0, server_cpu = process_cpu(server_pid) - server0;
    atomic_store(&stop, 1);
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
    }
    qsort(rates, iterations, sizeof *rates, by_value);
    printf("RESULT %.1f %.1f %.1f %ld %ld %.3f %.3f\n", rates[iterations / 2], rates[0], rates[iterations - 1], measured,
            measured_errors, measured ? cpu * 1e3 / measured : 0, measured && server_cpu >= 0 ? server_cpu * 1e3 / measured : -1);
    return 0;
}
