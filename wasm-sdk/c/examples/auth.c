/* API-key auth: requests without the configured key in x-api-key get 401. Config: {"api_key":"..."}. */
#include "../shepherd.h"

static char key[256];
static int32_t key_len = -1;

SHEPHERD_EXPORT("on_configure") int32_t on_configure(void) {
    sh_reset();
    sh_str value = sh_raw_value(sh_config(), "api_key", 0);
    if (value.len <= 0 || value.len > (int32_t)sizeof key) {
        const char *reason = "config needs a non-empty \"api_key\" (at most 256 bytes)";
        shepherd_output_write(reason, (int32_t)sh_strlen(reason));
        return 1;
    }
    memcpy(key, value.ptr, (size_t)value.len);
    key_len = value.len;
    return 0;
}

SHEPHERD_EXPORT("on_request") int32_t on_request(void) {
    sh_str json = sh_input();
    sh_str presented = sh_header(json, "x-api-key");
    sh_str expected = { key, key_len };
    if (presented.len >= 0 && sh_eq(presented, expected)) return 0;
    sh_respond_error(401, "Missing or invalid API key", "invalid_request_error", "invalid_api_key",
                     "www-authenticate", "ApiKey");
    return 0;
}
