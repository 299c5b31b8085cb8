// Header injection and logging: logs each request's path and model, tags the request for the worker
// and the answer for the client.
import { input, field, header, setHeaders, log, Level, OK } from "../sdk/shepherd";
export { shepherd_abi_version_1 } from "../sdk/shepherd";

export function on_request(): i32 {
  const json = input();
  const model = field(json, "model");
  const client = header(json, "user-agent");
  log(Level.Info, "request " + (field(json, "request_id") || "?") + " for " + (model || "?")
    + " from " + (client || "unknown client"));
  setHeaders(["x-shepherd-wasm"], ["injected"]);
  return OK;
}

export function on_response(): i32 {
  setHeaders(["x-wasm-response"], ["seen"]);
  return OK;
}
