/*
 * Per-client rate limit: at most LIMIT requests per minute per client (x-client-id, else x-api-key,
 * else "anonymous"), counted by the host so all instances share the count.
 */
#include "../shepherd.h"

#define LIMIT 60
#define WINDOW_MS 60000

SHEPHERD_EXPORT("on_request") int32_t on_request(void) {
    sh_str json = sh_input();
    sh_str client = sh_header(json, "x-client-id");
    if (client.len < 0) client = sh_header(json, "x-api-key");
    if (client.len < 0) client = sh_cstr("anonymous");
    if (shepherd_counter_add(client.ptr, client.len, 1, WINDOW_MS) > LIMIT) {
        sh_respond_error(429, "Rate limit exceeded for this client", "rate_limit_error", "rate_limit_exceeded",
                         "retry-after", "60");
    }
    return 0;
}
