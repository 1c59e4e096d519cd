/* A small JSON reader for the vector runner (tests only): parses a whole
 * document into a tree of json_value. Strings are decoded to UTF-8 with
 * their length kept, so "\u0000" survives. Numbers keep their source text
 * too, so 64-bit timestamps compare exactly. Not a general-purpose parser:
 * no streaming, and depth is bounded to keep hostile files harmless. */
#ifndef JWTGATE_TEST_JSON_H
#define JWTGATE_TEST_JSON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    int boolean;
    char *str;      /* J_STRING: decoded text; J_NUMBER: source text. NUL-terminated. */
    size_t len;     /* length of str */
    struct json_value *items; /* J_ARRAY / J_OBJECT values */
    char **keys;    /* J_OBJECT member names */
    size_t count;
} json_value;

typedef struct {
    const char *p, *end;
    int depth;
} json_parser;

static void json_ws(json_parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t')) ps->p++;
}

static int json_hex4(json_parser *ps, unsigned *out) {
    if (ps->end - ps->p < 4) return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t json_utf8(unsigned cp, char *o) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

/* Parses a string at ps->p (after the opening quote). */
static int json_string(json_parser *ps, char **out, size_t *out_len) {
    char *buf = malloc((size_t)(ps->end - ps->p) + 1); /* decoded is never longer */
    size_t n = 0;
    while (ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p++;
        if (c != '\\') { buf[n++] = c; continue; }
        if (ps->p >= ps->end) break;
        char e = *ps->p++;
        unsigned cp;
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u':
            if (!json_hex4(ps, &cp)) { free(buf); return 0; }
            if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                unsigned lo;
                ps->p += 2;
                if (!json_hex4(ps, &lo)) { free(buf); return 0; }
                if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else { n += json_utf8(cp, buf + n); cp = lo; }
            }
            n += json_utf8(cp, buf + n);
            break;
        default: free(buf); return 0;
        }
    }
    if (ps->p >= ps->end) { free(buf); return 0; }
    ps->p++; /* closing quote */
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 1;
}

static void json_free(json_value *v);

static int json_parse_value(json_parser *ps, json_value *v) {
    memset(v, 0, sizeof *v);
    json_ws(ps);
    if (ps->p >= ps->end || ++ps->depth > 64) return 0;
    int ok = 1;
    char c = *ps->p;
    if (c == '"') {
        ps->p++;
        v->type = J_STRING;
        ok = json_string(ps, &v->str, &v->len);
    } else if (c == '{' || c == '[') {
        int obj = c == '{';
        v->type = obj ? J_OBJECT : J_ARRAY;
        ps->p++;
        size_t cap = 0;
        json_ws(ps);
        if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) { ps->p++; ps->depth--; return 1; }
        for (;;) {
            if (v->count == cap) {
                cap = cap ? cap * 2 : 8;
                v->items = realloc(v->items, cap * sizeof *v->items);
                if (obj) v->keys = realloc(v->keys, cap * sizeof *v->keys);
            }
            if (obj) {
                size_t klen;
                json_ws(ps);
                if (ps->p >= ps->end || *ps->p != '"') { ok = 0; break; }
                ps->p++;
                if (!json_string(ps, &v->keys[v->count], &klen)) { ok = 0; break; }
                json_ws(ps);
                if (ps->p >= ps->end || *ps->p != ':') { free(v->keys[v->count]); ok = 0; break; }
                ps->p++;
            }
            if (!json_parse_value(ps, &v->items[v->count])) {
                if (obj) free(v->keys[v->count]);
                json_free(&v->items[v->count]);
                ok = 0;
                break;
            }
            v->count++;
            json_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
            if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) { ps->p++; break; }
            ok = 0;
            break;
        }
    } else if (ps->end - ps->p >= 4 && memcmp(ps->p, "null", 4) == 0) {
        v->type = J_NULL;
        ps->p += 4;
    } else if (ps->end - ps->p >= 4 && memcmp(ps->p, "true", 4) == 0) {
        v->type = J_BOOL;
        v->boolean = 1;
        ps->p += 4;
    } else if (ps->end - ps->p >= 5 && memcmp(ps->p, "false", 5) == 0) {
        v->type = J_BOOL;
        ps->p += 5;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *s = ps->p;
        while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p)) ps->p++;
        v->type = J_NUMBER;
        v->len = (size_t)(ps->p - s);
        v->str = malloc(v->len + 1);
        memcpy(v->str, s, v->len);
        v->str[v->len] = '\0';
    } else {
        ok = 0;
    }
    ps->depth--;
    return ok;
}

static void json_free(json_value *v) {
    if (!v) return;
    free(v->str);
    for (size_t i = 0; i < v->count; i++) {
        json_free(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

/* Parses `len` bytes; returns 1 and fills *out (free with json_free), or 0. */
static int json_parse(const char *text, size_t len, json_value *out) {
    json_parser ps = {text, text + len, 0};
    if (!json_parse_value(&ps, out)) { json_free(out); return 0; }
    json_ws(&ps);
    if (ps.p != ps.end) { json_free(out); return 0; }
    return 1;
}

/* The member `key` of an object, or NULL. */
static const json_value *json_get(const json_value *obj, const char *key) {
    if (!obj || obj->type != J_OBJECT) return NULL;
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0) return &obj->items[i];
    return NULL;
}

#endif
