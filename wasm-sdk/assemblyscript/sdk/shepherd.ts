// Shepherd guest SDK for AssemblyScript: guest ABI v1 (see ../../ABI.md).
// Wraps the `shepherd` host functions and builds/reads the JSON messages and actions.

@external("shepherd", "input_length") declare function input_length(): i32;
@external("shepherd", "input_read") declare function input_read(ptr: usize, len: i32): i32;
@external("shepherd", "output_write") declare function output_write(ptr: usize, len: i32): i32;
@external("shepherd", "config_length") declare function config_length(): i32;
@external("shepherd", "config_read") declare function config_read(ptr: usize, len: i32): i32;
@external("shepherd", "var_get") declare function var_get(kp: usize, kl: i32, vp: usize, vc: i32): i32;
@external("shepherd", "var_set") declare function var_set(kp: usize, kl: i32, vp: usize, vl: i32): i32;
@external("shepherd", "counter_add") declare function counter_add(kp: usize, kl: i32, delta: i64, windowMs: i64): i64;
@external("shepherd", "now_ms") declare function now_ms(): i64;
@external("shepherd", "log") declare function host_log(level: i32, ptr: usize, len: i32): void;

/** The ABI version marker: every guest re-exports it. */
export function shepherd_abi_version_1(): void {}

export const OK: i32 = 0;
export const FAILED: i32 = 1;

export enum Level { Debug = 0, Info = 1, Warn = 2, Error = 3 }

/** The current message (request, response, or configuration during on_configure). */
export function input(): string {
  const len = input_length();
  const buf = new ArrayBuffer(len);
  input_read(changetype<usize>(buf), len);
  return String.UTF8.decode(buf);
}

/** The module's configuration JSON. */
export function config(): string {
  const len = config_length();
  const buf = new ArrayBuffer(len);
  config_read(changetype<usize>(buf), len);
  return String.UTF8.decode(buf);
}

/** Writes the action; returns false when it is over the host's output limit. */
export function output(action: string): bool {
  const buf = String.UTF8.encode(action);
  return output_write(changetype<usize>(buf), buf.byteLength) == 0;
}

export function log(level: Level, message: string): void {
  const buf = String.UTF8.encode(message);
  host_log(level, changetype<usize>(buf), buf.byteLength);
}

export function nowMs(): i64 {
  return now_ms();
}

/** Atomically adds to a per-module fixed-window counter and returns the new count. */
export function counterAdd(key: string, delta: i64, windowMs: i64): i64 {
  const k = String.UTF8.encode(key);
  return counter_add(changetype<usize>(k), k.byteLength, delta, windowMs);
}

/** A per-module variable, or null. */
export function varGet(key: string): string | null {
  const k = String.UTF8.encode(key);
  const len = var_get(changetype<usize>(k), k.byteLength, 0, 0);
  if (len < 0) return null;
  const buf = new ArrayBuffer(len);
  var_get(changetype<usize>(k), k.byteLength, changetype<usize>(buf), len);
  return String.UTF8.decode(buf);
}

export function varSet(key: string, value: string): bool {
  const k = String.UTF8.encode(key);
  const v = String.UTF8.encode(value);
  return var_set(changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength) == 0;
}

// ---- reading messages -------------------------------------------------------------------------

/** The string value of a top-level key ("body", "path", "model", ...), unescaped; null when absent. */
export function field(json: string, key: string): string | null {
  const at = json.indexOf('"' + key + '":"');
  if (at < 0) return null;
  return readString(json, at + key.length + 4);
}

/** A request or response header (lower-case name), or null. */
export function header(json: string, name: string): string | null {
  const headers = json.indexOf('"headers":{');
  if (headers < 0) return null;
  const end = json.indexOf("}", headers);
  const at = json.indexOf('"' + name + '":"', headers);
  if (at < 0 || at > end) return null;
  return readString(json, at + name.length + 4);
}

/** The HTTP status of a response message. */
export function status(json: string): i32 {
  const at = json.indexOf('"status":');
  return at < 0 ? 0 : I32.parseInt(json.substring(at + 9, at + 12));
}

function readString(json: string, start: i32): string {
  let out = "";
  let i = start;
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c == 34) break; // closing quote
    if (c == 92) { // backslash escape
      const e = json.charCodeAt(i + 1);
      if (e == 110) out += "\n";
      else if (e == 116) out += "\t";
      else if (e == 114) out += "\r";
      else if (e == 98) out += "\b";
      else if (e == 102) out += "\f";
      else if (e == 117) { out += String.fromCharCode(I32.parseInt(json.substring(i + 2, i + 6), 16)); i += 4; }
      else out += String.fromCharCode(e);
      i += 2;
      continue;
    }
    out += String.fromCharCode(c);
    i++;
  }
  return out;
}

// ---- writing actions ---------------------------------------------------------------------------

export function quote(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c == 34) out += '\\"';
    else if (c == 92) out += "\\\\";
    else if (c == 10) out += "\\n";
    else if (c == 13) out += "\\r";
    else if (c == 9) out += "\\t";
    else if (c < 32) out += "\\u00" + (c < 16 ? "0" : "") + c.toString(16);
    else out += String.fromCharCode(c);
  }
  return out + '"';
}

function headerObject(names: string[], values: string[]): string {
  let out = "{";
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ",";
    out += quote(names[i]) + ":" + quote(values[i]);
  }
  return out + "}";
}

/** Answers the client instead of the worker. */
export function respond(code: i32, names: string[], values: string[], body: string): void {
  output('{"action":"respond","status":' + code.toString() + ',"headers":' + headerObject(names, values)
    + ',"body":' + quote(body) + "}");
}

/** Sets headers and goes on. */
export function setHeaders(names: string[], values: string[]): void {
  output('{"action":"modify","set_headers":' + headerObject(names, values) + "}");
}

/** Replaces the body and goes on. */
export function replaceBody(body: string): void {
  output('{"action":"modify","body":' + quote(body) + "}");
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type: string, code: string): string {
  return '{"error":{"message":' + quote(message) + ',"type":' + quote(type) + ',"code":' + quote(code) + "}}";
}
