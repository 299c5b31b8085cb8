// API-key auth: requests without a configured key in x-api-key (or "Authorization: Bearer <key>")
// get 401. Config: {"api_keys": ["key-1", "key-2"]}.
import { input, config, header, respond, errorBody, output, OK, FAILED } from "../sdk/shepherd";
export { shepherd_abi_version_1 } from "../sdk/shepherd";

let keys: string[] = [];

export function on_configure(): i32 {
  const json = config();
  const list = json.indexOf('"api_keys":[');
  if (list < 0) {
    output('config needs "api_keys": ["..."]');
    return FAILED;
  }
  const end = json.indexOf("]", list);
  const parts = json.substring(list + 12, end).split(",");
  keys = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    if (p.length > 2) keys.push(p.substring(1, p.length - 1));
  }
  return keys.length > 0 ? OK : FAILED;
}

export function on_request(): i32 {
  const json = input();
  let presented = header(json, "x-api-key");
  const auth = header(json, "authorization");
  if (presented == null && auth != null && auth.startsWith("Bearer ")) presented = auth.substring(7);
  if (presented != null && keys.includes(presented)) return OK;
  respond(401, ["content-type", "www-authenticate"], ["application/json", "ApiKey"],
    errorBody("Missing or invalid API key", "invalid_request_error", "invalid_api_key"));
  return OK;
}
