/* The C runner of the shared conformance vectors (the .json files of tests/vectors):
 * one gate per file from its properties, clock fixed at its `now`; each case
 * through jwtgate_gate_verify or jwtgate_gate_authenticate; the reason name
 * and every listed identity field must match. Prints "N passed, M failed".
 * Usage: vectors [DIR]   (default tests/vectors) */
#include <dirent.h>

#include "common.h"
#include "json.h"

static int g_passed = 0, g_failed = 0;

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int str_is(const json_value *v, const char *got) {
    if (!v || v->type == J_NULL) return got == NULL;
    return v->type == J_STRING && got != NULL && strlen(got) == v->len && memcmp(got, v->str, v->len) == 0;
}

static int list_is(const json_value *v, size_t n, const char *(*item)(const jwtgate_identity *, size_t),
                   const jwtgate_identity *id) {
    if (!v || v->type != J_ARRAY || v->count != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!str_is(&v->items[i], item(id, i))) return 0;
    return 1;
}

static int int_is(const json_value *v, int64_t got) {
    if (!v || v->type == J_NULL) return got == -1;
    return v->type == J_NUMBER && strtoll(v->str, NULL, 10) == got;
}

/* Compares one expected identity field; 0 and a reason in `why` on mismatch. */
static int field_matches(const char *name, const json_value *want, const jwtgate_identity *id, char *why,
                         size_t why_len) {
    const char *got = NULL;
    int ok;
    if (strcmp(name, "user") == 0) ok = str_is(want, got = jwtgate_identity_user(id));
    else if (strcmp(name, "email") == 0) ok = str_is(want, got = jwtgate_identity_email(id));
    else if (strcmp(name, "realm") == 0) ok = str_is(want, got = jwtgate_identity_realm(id));
    else if (strcmp(name, "issuer") == 0) ok = str_is(want, got = jwtgate_identity_issuer(id));
    else if (strcmp(name, "subject") == 0) ok = str_is(want, got = jwtgate_identity_subject(id));
    else if (strcmp(name, "profile") == 0) ok = str_is(want, got = jwtgate_identity_profile(id));
    else if (strcmp(name, "kid") == 0) ok = str_is(want, got = jwtgate_identity_kid(id));
    else if (strcmp(name, "alg") == 0) ok = str_is(want, got = jwtgate_identity_alg(id));
    else if (strcmp(name, "unique_id") == 0) ok = str_is(want, got = jwtgate_identity_unique_id(id));
    else if (strcmp(name, "groups") == 0)
        ok = list_is(want, jwtgate_identity_group_count(id), jwtgate_identity_group, id);
    else if (strcmp(name, "audience") == 0)
        ok = list_is(want, jwtgate_identity_audience_count(id), jwtgate_identity_audience, id);
    else if (strcmp(name, "expires_at") == 0) ok = int_is(want, jwtgate_identity_expires_at(id));
    else if (strcmp(name, "issued_at") == 0) ok = int_is(want, jwtgate_identity_issued_at(id));
    else {
        snprintf(why, why_len, "identity.%s: this runner does not know the field", name);
        return 0;
    }
    if (!ok) snprintf(why, why_len, "identity.%s differs (got %s; identity %s)", name, got ? got : "-",
                      jwtgate_identity_json(id));
    return ok;
}

/* Runs one case; returns 1 when it passes, else prints why. */
static int run_case(const char *file, const jwtgate_gate *gate, const json_value *c) {
    const json_value *cid = json_get(c, "id"), *token = json_get(c, "token"), *req = json_get(c, "request");
    const json_value *expect = json_get(c, "expect");
    const json_value *want = json_get(expect, "reason");
    const char *id_text = cid && cid->type == J_STRING ? cid->str : "?";
    char why[1024] = "";
    jwtgate_identity *id = NULL;
    int rc;
    if (!want || want->type != J_STRING) {
        fprintf(stderr, "%s %s: no expect.reason\n", file, id_text);
        return 0;
    }
    if (token && token->type == J_STRING) {
        rc = jwtgate_gate_verify(gate, token->str, token->len, &id);
    } else if (req && req->type == J_OBJECT) {
        const json_value *ep = json_get(req, "endpoint"), *hs = json_get(req, "headers");
        const json_value *url = json_get(req, "url"), *body = json_get(req, "body");
        size_t n = hs && hs->type == J_ARRAY ? hs->count : 0;
        jwtgate_header *h = calloc(n ? n : 1, sizeof *h);
        for (size_t i = 0; i < n; i++) {
            const json_value *pair = &hs->items[i];
            if (pair->type != J_ARRAY || pair->count != 2) continue;
            h[i].name = pair->items[0].str;
            h[i].name_len = pair->items[0].len;
            h[i].value = pair->items[1].str;
            h[i].value_len = pair->items[1].len;
        }
        int has_body = body && body->type == J_STRING;
        rc = jwtgate_gate_authenticate(gate, ep && ep->type == J_STRING ? ep->str : NULL, h, n,
                                       url && url->type == J_STRING ? url->str : NULL,
                                       has_body ? body->str : NULL, has_body ? body->len : 0, &id);
        free(h);
    } else {
        fprintf(stderr, "%s %s: neither token nor request\n", file, id_text);
        return 0;
    }
    int pass = strcmp(jwtgate_error_reason(rc), want->str) == 0;
    if (!pass) snprintf(why, sizeof why, "expected %s, got %s", want->str, jwtgate_last_error_message());
    if (pass && rc == JWTGATE_OK && (pass = id != NULL)) {
        const json_value *fields = json_get(expect, "identity");
        for (size_t i = 0; pass && fields && fields->type == J_OBJECT && i < fields->count; i++)
            pass = field_matches(fields->keys[i], &fields->items[i], id, why, sizeof why);
    }
    if (pass && rc == JWTGATE_OK && id == NULL) snprintf(why, sizeof why, "ok without identity");
    if (!pass) fprintf(stderr, "FAIL %s %s: %s\n", file, id_text, why);
    jwtgate_identity_free(id);
    return pass;
}

static void run_file(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    char *text = read_all(path, &len);
    json_value doc;
    if (!text || !json_parse(text, len, &doc)) {
        fprintf(stderr, "FAIL %s: unreadable or not JSON\n", name);
        g_failed++;
        free(text);
        return;
    }
    free(text);
    const json_value *props = json_get(&doc, "properties"), *now = json_get(&doc, "now");
    const json_value *cases = json_get(&doc, "cases");
    jwtgate_gate *gate = NULL;
    int rc = JWTGATE_INVALID_ARGUMENT;
    if (props && props->type == J_STRING) {
        if (now && now->type == J_NUMBER)
            rc = jwtgate_gate_from_string_at(props->str, props->len, strtoll(now->str, NULL, 10), &gate);
        else
            rc = jwtgate_gate_from_string(props->str, props->len, &gate);
    }
    size_t n = cases && cases->type == J_ARRAY ? cases->count : 0;
    if (rc != JWTGATE_OK) {
        fprintf(stderr, "FAIL %s: gate: %s\n", name, jwtgate_last_error_message());
        g_failed += n ? (int)n : 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            if (run_case(name, gate, &cases->items[i])) g_passed++;
            else g_failed++;
        }
    }
    jwtgate_gate_free(gate);
    json_free(&doc);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "vectors: cannot open %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        run_file(dir, names[i]);
        free(names[i]);
    }
    free(names);
    printf("vectors: %zu files, %d passed, %d failed\n", n, g_passed, g_failed);
    if (n == 0) fprintf(stderr, "vectors: no .json files in %s\n", dir);
    return n > 0 && g_failed == 0 ? 0 : 1;
}
