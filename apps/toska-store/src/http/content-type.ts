/** How Plug.Parsers (`parsers: [:json]`) treats a request's `content-type`. */
export type BodyKind = 'ignore' | 'json' | 'unsupported';

const MEDIA_TYPE = /^\s*([\w!#$&^.+-]+)\/([\w!#$&^.+-]+)\s*(?:;.*)?$/s;

/** Methods whose bodies Plug.Parsers reads; other methods' bodies are ignored. */
export function hasParsedBody(method: string): boolean {
  return method === 'PUT' || method === 'POST' || method === 'DELETE' || method === 'PATCH';
}

/**
 * No header: the body is ignored and treated as `{}`. `application/json` (any parameters) or
 * `application/*+json`: parsed. Anything else, including a header that is not a media type: 415.
 */
export function classifyContentType(header: string | undefined): BodyKind {
  if (header === undefined) return 'ignore';
  const match = MEDIA_TYPE.exec(header);
  if (!match) return 'unsupported';
  const type = match[1]!.toLowerCase();
  const subtype = match[2]!.toLowerCase();
  return type === 'application' && (subtype === 'json' || subtype.endsWith('+json')) ? 'json' : 'unsupported';
}
