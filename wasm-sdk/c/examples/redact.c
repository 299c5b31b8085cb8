/*
 * Body redaction: every "secret" in a request or response body becomes "******". The body is the last
 * key of the message, so the masked JSON string is copied as it is (same length, still valid).
 */
#include "../shepherd.h"

static int32_t redact(void) {
    sh_str json = sh_input();
    sh_str body = sh_raw_value(json, "body", 0);
    if (body.len < 0) return 0;
    char *text = (char *)body.ptr;
    sh_str word = sh_cstr("secret");
    sh_str view = { text, body.len };
    int changed = 0;
    for (int32_t at = sh_find(view, word, 0); at >= 0; at = sh_find(view, word, at + word.len)) {
        memset(text + at, '*', (size_t)word.len);
        changed = 1;
    }
    if (!changed) return 0;
    sh_buf out = sh_buf_new(body.len + 64);
    sh_puts(&out, "{\"action\":\"modify\",\"body\":\"");
    sh_put(&out, text, body.len);
    sh_puts(&out, "\"}");
    sh_output(&out);
    return 0;
}

SHEPHERD_EXPORT("on_request") int32_t on_request(void) { return redact(); }

SHEPHERD_EXPORT("on_response") int32_t on_response(void) { return redact(); }
