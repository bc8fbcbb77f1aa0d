// The page's state in the URL fragment, so a link reproduces what its author saw. The fragment
// is `#v1.` and the base64url of the deflated JSON `{text, settings}`; browsers never send a
// fragment to a server.

const PREFIX = 'v1.';

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The fragment (with `#`) for `state`. */
export async function encodeFragment(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return `#${PREFIX}${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/**
 * The state in `fragment`, `null` when there is none, or an `Error` when it is not one of ours
 * (a truncated link, say): the page says so rather than silently showing something else.
 */
export async function decodeFragment(fragment) {
  const body = fragment.replace(/^#/, '');
  if (body === '') return null;
  if (!body.startsWith(PREFIX)) return new Error('the link’s fragment is not an imglint page state');
  try {
    const json = await pipe(fromBase64Url(body.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    const state = JSON.parse(new TextDecoder().decode(json));
    if (typeof state?.text !== 'string') throw new Error('no text');
    return state;
  } catch {
    return new Error('the link’s page state is damaged (was it cut short?)');
  }
}

// A Secret object in YAML (`kind: Secret`, quoted or not, also as a list item) or JSON.
const SECRET_KIND = /^[ \t]*(?:-[ \t]+)?kind[ \t]*:[ \t]*(["']?)Secret\1[ \t]*(?:#.*)?$|"kind"\s*:\s*"Secret"/m;

/** Whether the manifests hold a Secret, whose data a shared link would carry. */
export function holdsSecret(text) {
  return SECRET_KIND.test(text);
}
