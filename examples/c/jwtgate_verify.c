/* A small C host of libjwtgate.
 *
 *   jwtgate_verify CONFIG TOKEN        verify a token ("-" reads it from stdin)
 *   jwtgate_verify CONFIG --request ENDPOINT < request.txt
 *                                      authenticate an HTTP request: header lines
 *                                      "Name: value" on stdin, an empty line, then
 *                                      an optional body
 *
 * Prints the identity as JSON on stdout and exits 0; on a refusal prints
 * "reason: detail" and the WWW-Authenticate value on stderr and exits 1;
 * a configuration error exits 2 (the CLI's convention).
 * Build: see docs/C.md (cc jwtgate_verify.c $(pkg-config --cflags --libs jwtgate)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwtgate.h>

#define MAX_INPUT (1 << 20)
#define MAX_HEADERS 100

static char *read_stdin(size_t *len) {
    char *buf = malloc(MAX_INPUT + 1);
    *len = buf ? fread(buf, 1, MAX_INPUT, stdin) : 0;
    if (buf) buf[*len] = '\0';
    return buf;
}

static int refuse(int rc) {
    fprintf(stderr, "%s\n", jwtgate_last_error_message());
    if (rc == JWTGATE_CONFIG_IO || rc == JWTGATE_CONFIG_INVALID) return 2;
    fprintf(stderr, "WWW-Authenticate: %s\n", jwtgate_last_error_www_authenticate());
    return 1;
}

/* Splits "Name: value\r\n" lines in place, up to the empty line. */
static size_t parse_headers(char *text, jwtgate_header *h, size_t max, char **body) {
    size_t n = 0;
    char *line = text;
    *body = NULL;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r') line[--len] = '\0';
        if (len == 0) {
            *body = next;
            break;
        }
        char *colon = strchr(line, ':');
        if (colon && n < max) {
            char *value = colon + 1;
            while (*value == ' ' || *value == '\t') value++;
            h[n].name = line;
            h[n].name_len = (size_t)(colon - line);
            h[n].value = value;
            h[n].value_len = strlen(value);
            n++;
        }
        line = next;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[2], "--request") == 0 && argc < 4)) {
        fprintf(stderr, "usage: %s CONFIG TOKEN|-\n       %s CONFIG --request ENDPOINT < request\n", argv[0],
                argv[0]);
        return 2;
    }
    jwtgate_gate *gate = NULL;
    int rc = jwtgate_gate_from_file(argv[1], &gate);
    if (rc != JWTGATE_OK) return refuse(rc);

    jwtgate_identity *id = NULL;
    char *input = NULL;
    if (strcmp(argv[2], "--request") == 0) {
        size_t len;
        input = read_stdin(&len);
        jwtgate_header headers[MAX_HEADERS];
        char *body = NULL;
        size_t n = input ? parse_headers(input, headers, MAX_HEADERS, &body) : 0;
        rc = jwtgate_gate_authenticate(gate, argv[3], headers, n, NULL, body, body ? strlen(body) : 0, &id);
    } else {
        const char *token = argv[2];
        size_t len = strlen(token);
        if (strcmp(token, "-") == 0) {
            input = read_stdin(&len);
            while (input && len && (input[len - 1] == '\n' || input[len - 1] == '\r' || input[len - 1] == ' '))
                input[--len] = '\0';
            token = input ? input : "";
        }
        rc = jwtgate_gate_verify(gate, token, len, &id);
    }
    int status = 0;
    if (rc == JWTGATE_OK) {
        printf("%s\n", jwtgate_identity_json(id));
    } else {
        status = refuse(rc);
    }
    jwtgate_identity_free(id);
    jwtgate_gate_free(gate);
    free(input);
    return status;
}
