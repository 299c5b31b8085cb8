/*
 * Shepherd guest SDK for C (freestanding wasm32, no libc): guest ABI v1, see ../ABI.md.
 * Build: clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export-dynamic -o x.wasm x.c
 * Include it in exactly one translation unit: it defines the marker export, a per-call arena and the
 * few libc functions the compiler may call.
 */
#ifndef SHEPHERD_H
#define SHEPHERD_H

#include <stddef.h>
#include <stdint.h>

#define SHEPHERD_IMPORT(name) __attribute__((import_module("shepherd"), import_name(name)))
#define SHEPHERD_EXPORT(name) __attribute__((export_name(name)))

SHEPHERD_IMPORT("input_length") int32_t shepherd_input_length(void);
SHEPHERD_IMPORT("input_read") int32_t shepherd_input_read(void *ptr, int32_t len);
SHEPHERD_IMPORT("output_write") int32_t shepherd_output_write(const void *ptr, int32_t len);
SHEPHERD_IMPORT("config_length") int32_t shepherd_config_length(void);
SHEPHERD_IMPORT("config_read") int32_t shepherd_config_read(void *ptr, int32_t len);
SHEPHERD_IMPORT("var_get") int32_t shepherd_var_get(const void *k, int32_t kl, void *v, int32_t vcap);
SHEPHERD_IMPORT("var_set") int32_t shepherd_var_set(const void *k, int32_t kl, const void *v, int32_t vl);
SHEPHERD_IMPORT("counter_add") int64_t shepherd_counter_add(const void *k, int32_t kl, int64_t delta, int64_t window_ms);
SHEPHERD_IMPORT("now_ms") int64_t shepherd_now_ms(void);
SHEPHERD_IMPORT("log") void shepherd_log(int32_t level, const void *ptr, int32_t len);

enum { SHEPHERD_DEBUG = 0, SHEPHERD_INFO = 1, SHEPHERD_WARN = 2, SHEPHERD_ERROR = 3 };

/* The ABI version marker. */
SHEPHERD_EXPORT("shepherd_abi_version_1") void shepherd_abi_version_1(void) {}

/* ---- freestanding helpers ------------------------------------------------------------------ */

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

static inline size_t sh_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

/* ---- a per-call arena: everything allocated during a call is dropped by the next one --------- */

extern unsigned char __heap_base;
static uintptr_t sh_top;

static inline void sh_reset(void) { sh_top = (uintptr_t)&__heap_base; }

static inline void * sh_alloc(size_t n) {
    if (sh_top == 0) sh_reset();
    uintptr_t start = (sh_top + 7) & ~(uintptr_t)7;
    uintptr_t end = start + n;
    uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        size_t pages = (end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
    }
    sh_top = end;
    return (void *)start;
}

/* ---- strings as (pointer, length) ---------------------------------------------------------- */

typedef struct { const char *ptr; int32_t len; } sh_str;

static inline sh_str sh_cstr(const char *s) { sh_str r = { s, (int32_t)sh_strlen(s) }; return r; }

static inline int sh_eq(sh_str a, sh_str b) {
    if (a.len != b.len) return 0;
    for (int32_t i = 0; i < a.len; i++) if (a.ptr[i] != b.ptr[i]) return 0;
    return 1;
}

/* Index of needle in hay, or -1. */
static inline int32_t sh_find(sh_str hay, sh_str needle, int32_t from) {
    for (int32_t i = from; i + needle.len <= hay.len; i++) {
        int32_t j = 0;
        while (j < needle.len && hay.ptr[i + j] == needle.ptr[j]) j++;
        if (j == needle.len) return i;
    }
    return -1;
}

/* The whole current message (resets the arena: call it first in every hook). */
static inline sh_str sh_input(void) {
    sh_reset();
    int32_t len = shepherd_input_length();
    char *buf = sh_alloc((size_t)len + 1);
    shepherd_input_read(buf, len);
    sh_str r = { buf, len };
    return r;
}

static inline sh_str sh_config(void) {
    int32_t len = shepherd_config_length();
    char *buf = sh_alloc((size_t)len + 1);
    shepherd_config_read(buf, len);
    sh_str r = { buf, len };
    return r;
}

/*
 * The raw (still JSON-escaped) string value of "key" after position `from`; len -1 when absent.
 * Header values rarely contain escapes; use sh_header for them.
 */
static inline sh_str sh_raw_value(sh_str json, const char *key, int32_t from) {
    int32_t klen = (int32_t)sh_strlen(key);
    char *pattern = sh_alloc((size_t)klen + 4);
    pattern[0] = '"';
    memcpy(pattern + 1, key, (size_t)klen);
    pattern[klen + 1] = '"'; pattern[klen + 2] = ':'; pattern[klen + 3] = '"';
    sh_str p = { pattern, klen + 4 };
    int32_t at = sh_find(json, p, from);
    sh_str none = { 0, -1 };
    if (at < 0) return none;
    int32_t start = at + p.len, end = start;
    while (end < json.len && json.ptr[end] != '"') end += json.ptr[end] == '\\' ? 2 : 1;
    sh_str r = { json.ptr + start, end - start };
    return r;
}

/* A header of a request/response message (lower-case name); len -1 when absent. */
static inline sh_str sh_header(sh_str json, const char *name) {
    int32_t headers = sh_find(json, sh_cstr("\"headers\":{"), 0);
    sh_str none = { 0, -1 };
    if (headers < 0) return none;
    int32_t end = sh_find(json, sh_cstr("}"), headers);
    sh_str v = sh_raw_value(json, name, headers);
    if (v.len < 0 || v.ptr - json.ptr > end) return none;
    return v;
}

/* ---- building actions ---------------------------------------------------------------------- */

typedef struct { char *ptr; int32_t len; int32_t cap; } sh_buf;

static inline sh_buf sh_buf_new(int32_t cap) { sh_buf b = { sh_alloc((size_t)cap), 0, cap }; return b; }

static inline void sh_put(sh_buf *b, const char *s, int32_t n) {
    if (b->len + n > b->cap) {
        int32_t cap = (b->cap + n) * 2;
        char *bigger = sh_alloc((size_t)cap);
        memcpy(bigger, b->ptr, (size_t)b->len);
        b->ptr = bigger; b->cap = cap;
    }
    memcpy(b->ptr + b->len, s, (size_t)n);
    b->len += n;
}

static inline void sh_puts(sh_buf *b, const char *s) { sh_put(b, s, (int32_t)sh_strlen(s)); }

/* Appends s as a JSON string (quoted, escaped). */
static inline void sh_put_json(sh_buf *b, const char *s, int32_t n) {
    static const char hex[] = "0123456789abcdef";
    sh_put(b, "\"", 1);
    for (int32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { char e[2] = { '\\', (char)c }; sh_put(b, e, 2); }
        else if (c < 32) { char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] }; sh_put(b, e, 6); }
        else sh_put(b, (const char *)&s[i], 1);
    }
    sh_put(b, "\"", 1);
}

static inline void sh_output(sh_buf *b) { shepherd_output_write(b->ptr, b->len); }

static inline void sh_log(int32_t level, const char *message) {
    shepherd_log(level, message, (int32_t)sh_strlen(message));
}

/* Writes {"action":"respond",...} with a content type and an OpenAI-style error body. */
static inline void sh_respond_error(int status, const char *message, const char *type, const char *code,
                             const char *extra_header, const char *extra_value) {
    sh_buf body = sh_buf_new(256);
    sh_puts(&body, "{\"error\":{\"message\":");
    sh_put_json(&body, message, (int32_t)sh_strlen(message));
    sh_puts(&body, ",\"type\":");
    sh_put_json(&body, type, (int32_t)sh_strlen(type));
    sh_puts(&body, ",\"code\":");
    sh_put_json(&body, code, (int32_t)sh_strlen(code));
    sh_puts(&body, "}}");
    sh_buf out = sh_buf_new(512);
    char digits[4] = { (char)('0' + status / 100), (char)('0' + status / 10 % 10), (char)('0' + status % 10), 0 };
    sh_puts(&out, "{\"action\":\"respond\",\"status\":");
    sh_puts(&out, digits);
    sh_puts(&out, ",\"headers\":{\"content-type\":\"application/json\"");
    if (extra_header) {
        sh_puts(&out, ",");
        sh_put_json(&out, extra_header, (int32_t)sh_strlen(extra_header));
        sh_puts(&out, ":");
        sh_put_json(&out, extra_value, (int32_t)sh_strlen(extra_value));
    }
    sh_puts(&out, "},\"body\":");
    sh_put_json(&out, body.ptr, body.len);
    sh_puts(&out, "}");
    sh_output(&out);
}

#endif
