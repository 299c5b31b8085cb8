/* Header injection and logging: logs each request's model, tags requests and answers. */
#include "../shepherd.h"

SHEPHERD_EXPORT("on_request") int32_t on_request(void) {
    sh_str json = sh_input();
    sh_str model = sh_raw_value(json, "model", 0);
    sh_buf line = sh_buf_new(128);
    sh_puts(&line, "request for model ");
    if (model.len > 0) sh_put(&line, model.ptr, model.len);
    shepherd_log(SHEPHERD_INFO, line.ptr, line.len);
    const char *action = "{\"action\":\"modify\",\"set_headers\":{\"x-shepherd-wasm\":\"injected\"}}";
    shepherd_output_write(action, (int32_t)sh_strlen(action));
    return 0;
}

SHEPHERD_EXPORT("on_response") int32_t on_response(void) {
    const char *action = "{\"action\":\"modify\",\"set_headers\":{\"x-wasm-response\":\"seen\"}}";
    shepherd_output_write(action, (int32_t)sh_strlen(action));
    return 0;
}
