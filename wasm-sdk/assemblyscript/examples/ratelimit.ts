// Per-client rate limit: at most `limit` requests per `window_ms` per client (x-client-id, else the
// API key, else "anonymous"), counted by the host so every instance shares the count.
// Config: {"limit": 60, "window_ms": 60000}.
import { input, config, header, counterAdd, respond, errorBody, OK } from "../sdk/shepherd";
export { shepherd_abi_version_1 } from "../sdk/shepherd";

let limit: i64 = 60;
let windowMs: i64 = 60000;

function number(json: string, key: string, fallback: i64): i64 {
  const at = json.indexOf('"' + key + '":');
  if (at < 0) return fallback;
  let end = at + key.length + 3;
  while (end < json.length && json.charCodeAt(end) >= 48 && json.charCodeAt(end) <= 57) end++;
  return I64.parseInt(json.substring(at + key.length + 3, end));
}

export function on_configure(): i32 {
  const json = config();
  limit = number(json, "limit", 60);
  windowMs = number(json, "window_ms", 60000);
  return limit > 0 && windowMs > 0 ? 0 : 1;
}

export function on_request(): i32 {
  const json = input();
  let client = header(json, "x-client-id");
  if (client == null) client = header(json, "x-api-key");
  if (client == null) client = "anonymous";
  if (counterAdd("rl:" + client!, 1, windowMs) > limit) {
    respond(429, ["content-type", "retry-after"], ["application/json", (windowMs / 1000).toString()],
      errorBody("Rate limit exceeded for this client", "rate_limit_error", "rate_limit_exceeded"));
  }
  return OK;
}
