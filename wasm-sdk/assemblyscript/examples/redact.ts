// Body redaction: masks e-mail addresses and the configured words in request and response bodies.
// Config: {"words": ["secret", "password"]}.
import { input, config, field, replaceBody, OK } from "../sdk/shepherd";
export { shepherd_abi_version_1 } from "../sdk/shepherd";

let words: string[] = [];

export function on_configure(): i32 {
  const json = config();
  const list = json.indexOf('"words":[');
  if (list >= 0) {
    const parts = json.substring(list + 9, json.indexOf("]", list)).split(",");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i].trim();
      if (p.length > 2) words.push(p.substring(1, p.length - 1));
    }
  }
  return OK;
}

function mask(text: string): string {
  let out = text;
  for (let i = 0; i < words.length; i++) out = out.replaceAll(words[i], "*".repeat(words[i].length));
  // e-mail addresses: mask the local part
  let at = out.indexOf("@");
  while (at > 0) {
    let start = at;
    while (start > 0 && isLocal(out.charCodeAt(start - 1))) start--;
    if (start < at) out = out.substring(0, start) + "*".repeat(at - start) + out.substring(at);
    at = out.indexOf("@", at + 1);
  }
  return out;
}

function isLocal(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 46 || c == 95 || c == 45 || c == 43;
}

function redact(): i32 {
  const body = field(input(), "body");
  if (body == null) return OK;
  const masked = mask(body as string);
  if (masked != (body as string)) replaceBody(masked);
  return OK;
}

export function on_request(): i32 {
  return redact();
}

export function on_response(): i32 {
  return redact();
}
