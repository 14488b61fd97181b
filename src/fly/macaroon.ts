// Fly's macaroon token format, read and written locally (no request, no vscode).
//
// Follows superfly/macaroon 8578343 (Apache-2.0; read, not copied): `macaroon.go`, `nonce.go`, `format.go`,
// `caveat_set.go`, `caveats.go`, `caveat.go`, `flyio/caveats.go`, `resset/`, `auth/caveats.go`.
// A token part is `fm2_` (or the older `fm1r_` / `fm1a_`) + standard base64 of a MessagePack array
// `[Nonce, Location, CaveatSet, Tail]`. Go writes it with vmihailenco/msgpack v5, structs as arrays and ints in
// their smallest form (`UseArrayEncodedStructs`, `UseCompactInts`): strings as str, `[]byte` as bin (nil as nil),
// `resset.ResourceSet` as a map with its keys sorted. The signature is an HMAC-SHA256 chain: `tail = HMAC(key,
// encode(nonce))`, then `tail = HMAC(tail, encode(CaveatSet{[caveat]}))` for each caveat in order.
//
// Values are read and written by @msgpack/msgpack. What is ours: the array/map headers we join pieces with, and a
// walker that finds where one value ends, so that a caveat is kept as the very bytes it arrived as. Re-encoding a
// decoded macaroon is then byte-identical (the signature depends on it), unknown caveat types included, as Go's
// `UnregisteredCaveat` keeps `RawMsgpack`.
import { createCipheriv, createDecipheriv, createHmac, createHash, randomBytes, timingSafeEqual } from 'crypto';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';

/** Caveat type numbers (superfly/macaroon `caveat.go`, an iota list; gaps are deprecated or reserved). */
export const CaveatCode = {
  Organization: 0,
  Volumes: 2,
  Apps: 3,
  ValidityWindow: 4,
  FeatureSet: 5,
  Mutations: 6,
  Machines: 7,
  ConfineUser: 8,
  ConfineOrganization: 9,
  IsUser: 10,
  ThirdParty: 11,
  BindToParentToken: 12,
  IfPresent: 13,
  MachineFeatureSet: 14,
  FromMachineSource: 15,
  Clusters: 16,
  ConfineGoogleHD: 19,
  ConfineGitHubOrg: 20,
  MaxValidity: 21,
  IsMember: 22,
  Action: 26,
  Commands: 27,
  AppFeatureSet: 28,
  AllowedRoles: 30,
  FlySrc: 31,
} as const;

/** `resset.Action` bits (superfly/macaroon `resset/action.go`). */
export const Action = {
  Read: 1,
  Write: 2,
  Create: 4,
  Delete: 8,
  Control: 16,
  All: 31,
  None: 0,
} as const;

/** Macaroon locations Fly uses (superfly/macaroon `flyio/flyio.go`). */
export const Location = {
  Permission: 'https://api.fly.io/v1',
  Authentication: 'https://api.fly.io/aaa/v1',
  NewAuthentication: 'https://auth.fly.io',
  Secrets: 'https://api.fly.io/secrets/v1',
} as const;

/** One machine-exec command (`flyio.Command`): the argument prefix, and whether it must match exactly. */
export interface Command {
  args: string[];
  exact: boolean;
}

/**
 * A caveat, by its Go name. Ids and counts are JavaScript numbers: Fly's ids are database row ids, far below 2^53;
 * a caveat holding a larger integer is kept as `Unknown` (with its bytes, so nothing is lost).
 * `raw`, when present, is the exact bytes (type and body) the caveat was decoded from and is what encoding writes:
 * build new caveats without it, and don't edit a decoded one (make a new one).
 */
export type Caveat = (
  | { type: 'Organization'; id: number; mask: number }
  /** app id → allowed actions; an empty map in an `IfPresent` means "no app". */
  | { type: 'Apps'; apps: Map<number, number> }
  | { type: 'Volumes'; volumes: Map<string, number> }
  | { type: 'Machines'; machines: Map<string, number> }
  | { type: 'Clusters'; clusters: Map<string, number> }
  | { type: 'FeatureSet'; features: Map<string, number> }
  | { type: 'MachineFeatureSet'; features: Map<string, number> }
  | { type: 'AppFeatureSet'; features: Map<string, number> }
  /** seconds since the epoch */
  | { type: 'ValidityWindow'; notBefore: number; notAfter: number }
  | { type: 'Mutations'; mutations: string[] }
  | { type: 'IsUser'; id: number }
  | { type: 'IsMember' }
  | { type: 'AllowedRoles'; roles: number }
  | { type: 'Action'; action: number }
  | { type: 'Commands'; commands: Command[] }
  | { type: 'FromMachineSource'; id: string }
  | { type: 'FlySrc'; organization: string; app: string; instance: string }
  | { type: 'ConfineUser'; id: number }
  | { type: 'ConfineOrganization'; id: number }
  | { type: 'ConfineGoogleHD'; domain: string }
  | { type: 'ConfineGitHubOrg'; id: number }
  | { type: 'MaxValidity'; seconds: number }
  /** a third-party caveat: the token needs a discharge from `location`; its ticket is sealed for that service */
  | { type: 'ThirdParty'; location: string; verifierKey: Uint8Array | null; ticket: Uint8Array | null }
  /** in a discharge: a prefix of SHA-256(parent tail) of the permission token it may accompany */
  | { type: 'BindToParentToken'; binding: Uint8Array }
  /** apply `ifs` when the request names their resources, else allow only `elseAction` */
  | { type: 'IfPresent'; ifs: Caveat[]; elseAction: number }
  /** a type we don't read (or a value too large for a number); `body` is what @msgpack/msgpack made of it */
  | { type: 'Unknown'; code: bigint; body: unknown }
) & { raw?: Uint8Array };

export interface Nonce {
  kid: Uint8Array;
  rnd: Uint8Array;
  /** absent in a 2-field (v0) nonce; present (even false) in a 3-field (v1) one */
  proof?: boolean;
}

export interface Macaroon {
  nonce: Nonce;
  location: string;
  caveats: Caveat[];
  tail: Uint8Array;
}

export class MacaroonFormatError extends Error {
  override readonly name = 'MacaroonFormatError';
}

// ---------------------------------------------------------------------------------------------------------------
// Byte-level helpers: headers and value boundaries (values themselves go through @msgpack/msgpack).

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function arrayHeader(length: number): Uint8Array {
  if (length < 16) return Uint8Array.of(0x90 | length);
  if (length < 0x10000) return Uint8Array.of(0xdc, length >> 8, length & 0xff);
  const b = Buffer.alloc(5);
  b[0] = 0xdd;
  b.writeUInt32BE(length, 1);
  return new Uint8Array(b);
}

function mapHeader(length: number): Uint8Array {
  if (length < 16) return Uint8Array.of(0x80 | length);
  if (length < 0x10000) return Uint8Array.of(0xde, length >> 8, length & 0xff);
  const b = Buffer.alloc(5);
  b[0] = 0xdf;
  b.writeUInt32BE(length, 1);
  return new Uint8Array(b);
}

function truncated(): never {
  throw new MacaroonFormatError('The macaroon ends too early.');
}

/** Reads the array header at `pos`: its length and where its first element starts. */
function readArrayHeader(buf: Uint8Array, pos: number): { length: number; next: number } {
  if (pos >= buf.length) truncated();
  const code = buf[pos];
  if ((code & 0xf0) === 0x90) return { length: code & 0x0f, next: pos + 1 };
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (code === 0xdc && pos + 3 <= buf.length) return { length: view.readUInt16BE(pos + 1), next: pos + 3 };
  if (code === 0xdd && pos + 5 <= buf.length) return { length: view.readUInt32BE(pos + 1), next: pos + 5 };
  if (code === 0xdc || code === 0xdd) truncated();
  throw new MacaroonFormatError('Expected a MessagePack array in the macaroon.');
}

/** Where the single MessagePack value starting at `pos` ends (exclusive). Structure only; no value is built. */
function valueEnd(buf: Uint8Array, start: number): number {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = start;
  let pending = 1; // values still to skip
  while (pending > 0) {
    if (pos >= buf.length) truncated();
    const code = buf[pos];
    pending -= 1;
    const need = (n: number): void => {
      if (pos + n > buf.length) truncated();
    };
    if (code <= 0x7f || code >= 0xe0 || code === 0xc0 || code === 0xc2 || code === 0xc3) pos += 1;
    else if ((code & 0xf0) === 0x80) {
      pending += 2 * (code & 0x0f);
      pos += 1;
    } else if ((code & 0xf0) === 0x90) {
      pending += code & 0x0f;
      pos += 1;
    }
    else if ((code & 0xe0) === 0xa0) pos += 1 + (code & 0x1f);
    else {
      switch (code) {
        case 0xc4: case 0xd9: need(2); pos += 2 + view.readUInt8(pos + 1); break; // bin8, str8
        case 0xc5: case 0xda: need(3); pos += 3 + view.readUInt16BE(pos + 1); break; // bin16, str16
        case 0xc6: case 0xdb: need(5); pos += 5 + view.readUInt32BE(pos + 1); break; // bin32, str32
        case 0xc7: need(3); pos += 3 + view.readUInt8(pos + 1); break; // ext8
        case 0xc8: need(4); pos += 4 + view.readUInt16BE(pos + 1); break; // ext16
        case 0xc9: need(6); pos += 6 + view.readUInt32BE(pos + 1); break; // ext32
        case 0xca: pos += 5; break; // float32
        case 0xcb: pos += 9; break; // float64
        case 0xcc: case 0xd0: pos += 2; break;
        case 0xcd: case 0xd1: pos += 3; break;
        case 0xce: case 0xd2: pos += 5; break;
        case 0xcf: case 0xd3: pos += 9; break;
        case 0xd4: pos += 3; break; // fixext1..16
        case 0xd5: pos += 4; break;
        case 0xd6: pos += 6; break;
        case 0xd7: pos += 10; break;
        case 0xd8: pos += 18; break;
        case 0xdc: need(3); pending += view.readUInt16BE(pos + 1); pos += 3; break;
        case 0xdd: need(5); pending += view.readUInt32BE(pos + 1); pos += 5; break;
        case 0xde: need(3); pending += 2 * view.readUInt16BE(pos + 1); pos += 3; break;
        case 0xdf: need(5); pending += 2 * view.readUInt32BE(pos + 1); pos += 5; break;
        default: throw new MacaroonFormatError(`Unknown MessagePack code 0x${code.toString(16)} in the macaroon.`);
      }
    }
  }
  if (pos > buf.length) truncated();
  return pos;
}

function readValue(bytes: Uint8Array): unknown {
  return msgpackDecode(bytes, { useBigInt64: true, mapKeyConverter: (key) => mapKey(key) });
}

function mapKey(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (typeof key === 'bigint') return key.toString();
  throw new MacaroonFormatError('A map key in the macaroon is neither a number nor a string.');
}

/** Go's compact int encoding is also @msgpack/msgpack's: the smallest form that holds the value. */
function writeValue(value: unknown): Uint8Array {
  return msgpackEncode(value, { useBigInt64: true, ignoreUndefined: false });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading caveat bodies. A body that is the wrong shape for its known type throws, as Go's decoder would fail.

class TooLarge extends Error {}

function uint(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'bigint' && value >= 0n) {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new TooLarge();
    return Number(value);
  }
  throw new MacaroonFormatError('Expected an unsigned integer in a caveat.');
}

function int(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new TooLarge();
    return Number(value);
  }
  throw new MacaroonFormatError('Expected an integer in a caveat.');
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new MacaroonFormatError('Expected a string in a caveat.');
}

function bin(value: unknown): Uint8Array | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return value;
  throw new MacaroonFormatError('Expected bytes in a caveat.');
}

function fields(value: unknown, count: number): unknown[] {
  if (Array.isArray(value) && value.length === count) return value;
  throw new MacaroonFormatError(`Expected a caveat of ${count} fields.`);
}

function list(value: unknown): unknown[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  throw new MacaroonFormatError('Expected a list in a caveat.');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function resourceMap<K>(value: unknown, key: (k: string) => K): Map<K, number> {
  if (value === null) return new Map();
  if (!isPlainObject(value)) throw new MacaroonFormatError('Expected a resource map in a caveat.');
  return new Map(Object.entries(value).map(([k, v]) => [key(k), uint(v)]));
}

function numericKey(k: string): number {
  if (!/^\d+$/.test(k)) throw new MacaroonFormatError('Expected a numeric id in a caveat.');
  return uint(BigInt(k));
}

function readBody(code: number, body: unknown, bodyBytes: Uint8Array): Caveat | undefined {
  switch (code) {
    case CaveatCode.Organization: {
      const [id, mask] = fields(body, 2);
      return { type: 'Organization', id: uint(id), mask: uint(mask) };
    }
    case CaveatCode.Apps:
      return { type: 'Apps', apps: resourceMap(fields(body, 1)[0], numericKey) };
    case CaveatCode.Volumes:
      return { type: 'Volumes', volumes: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.Machines:
      return { type: 'Machines', machines: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.Clusters:
      return { type: 'Clusters', clusters: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.FeatureSet:
      return { type: 'FeatureSet', features: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.MachineFeatureSet:
      return { type: 'MachineFeatureSet', features: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.AppFeatureSet:
      return { type: 'AppFeatureSet', features: resourceMap(fields(body, 1)[0], String) };
    case CaveatCode.ValidityWindow: {
      const [notBefore, notAfter] = fields(body, 2);
      return { type: 'ValidityWindow', notBefore: int(notBefore), notAfter: int(notAfter) };
    }
    case CaveatCode.Mutations:
      return { type: 'Mutations', mutations: list(fields(body, 1)[0]).map(str) };
    case CaveatCode.IsUser:
      return { type: 'IsUser', id: uint(fields(body, 1)[0]) };
    case CaveatCode.IsMember:
      fields(body, 0);
      return { type: 'IsMember' };
    case CaveatCode.AllowedRoles:
      return { type: 'AllowedRoles', roles: uint(body) };
    case CaveatCode.Action:
      return { type: 'Action', action: uint(body) };
    case CaveatCode.Commands:
      return {
        type: 'Commands',
        commands: list(body).map((entry) => {
          const [args, exact] = fields(entry, 2);
          if (typeof exact !== 'boolean') throw new MacaroonFormatError('Expected true or false in a command.');
          return { args: list(args).map(str), exact };
        }),
      };
    case CaveatCode.FromMachineSource:
      return { type: 'FromMachineSource', id: str(fields(body, 1)[0]) };
    case CaveatCode.FlySrc: {
      const [organization, app, instance] = fields(body, 3);
      return { type: 'FlySrc', organization: str(organization), app: str(app), instance: str(instance) };
    }
    case CaveatCode.ConfineUser:
      return { type: 'ConfineUser', id: uint(fields(body, 1)[0]) };
    case CaveatCode.ConfineOrganization:
      return { type: 'ConfineOrganization', id: uint(fields(body, 1)[0]) };
    case CaveatCode.ConfineGoogleHD:
      return { type: 'ConfineGoogleHD', domain: str(body) };
    case CaveatCode.ConfineGitHubOrg:
      return { type: 'ConfineGitHubOrg', id: uint(body) };
    case CaveatCode.MaxValidity:
      return { type: 'MaxValidity', seconds: uint(body) };
    case CaveatCode.ThirdParty: {
      const [location, verifierKey, ticket] = fields(body, 3);
      return { type: 'ThirdParty', location: str(location), verifierKey: bin(verifierKey), ticket: bin(ticket) };
    }
    case CaveatCode.BindToParentToken:
      return { type: 'BindToParentToken', binding: bin(body) ?? new Uint8Array() };
    case CaveatCode.IfPresent: {
      // The nested set is read from its own bytes so that each inner caveat keeps its raw form too.
      const inner = readArrayHeader(bodyBytes, 0);
      if (inner.length !== 2) throw new MacaroonFormatError('Expected an IfPresent caveat of 2 fields.');
      const ifsEnd = valueEnd(bodyBytes, inner.next);
      const ifsBytes = bodyBytes.subarray(inner.next, ifsEnd);
      const ifs = ifsBytes.length === 1 && ifsBytes[0] === 0xc0 ? [] : readCaveatSet(ifsBytes);
      return { type: 'IfPresent', ifs, elseAction: uint(readValue(bodyBytes.subarray(ifsEnd))) };
    }
    default:
      return undefined;
  }
}

/** Reads a whole CaveatSet value (`[type, body, type, body, …]`) from exactly these bytes. */
function readCaveatSet(bytes: Uint8Array): Caveat[] {
  const header = readArrayHeader(bytes, 0);
  if (header.length % 2 !== 0) throw new MacaroonFormatError('The caveat list of the macaroon is malformed.');
  const caveats: Caveat[] = [];
  let pos = header.next;
  for (let i = 0; i < header.length / 2; i++) {
    const typeEnd = valueEnd(bytes, pos);
    const bodyEnd = valueEnd(bytes, typeEnd);
    const raw = bytes.slice(pos, bodyEnd);
    const codeValue = readValue(bytes.subarray(pos, typeEnd));
    if (typeof codeValue !== 'number' && typeof codeValue !== 'bigint') {
      throw new MacaroonFormatError('A caveat type in the macaroon is not a number.');
    }
    if (typeof codeValue === 'number' && (!Number.isInteger(codeValue) || codeValue < 0)) {
      throw new MacaroonFormatError('A caveat type in the macaroon is not a number.');
    }
    const bodyBytes = bytes.subarray(typeEnd, bodyEnd);
    const body = readValue(bodyBytes);
    let caveat: Caveat | undefined;
    try {
      caveat =
        typeof codeValue === 'number' || codeValue <= BigInt(Number.MAX_SAFE_INTEGER)
          ? readBody(Number(codeValue), body, bodyBytes)
          : undefined;
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
    }
    caveats.push({ ...(caveat ?? { type: 'Unknown', code: BigInt(codeValue), body }), raw });
    pos = bodyEnd;
  }
  if (pos !== bytes.length) throw new MacaroonFormatError('The caveat list of the macaroon has extra bytes.');
  return caveats;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing caveats as Go writes them.

function writeResourceMap<K extends number | string>(map: Map<K, number>): Uint8Array {
  // resset.ResourceSet.EncodeMsgpack sorts its keys (numbers numerically, strings by bytes as Go compares them).
  const keys = [...map.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b))),
  );
  return concat([mapHeader(keys.length), ...keys.flatMap((k) => [writeValue(k), writeValue(map.get(k))])]);
}

function struct(...parts: Uint8Array[]): Uint8Array {
  return concat([arrayHeader(parts.length), ...parts]);
}

function caveatCode(caveat: Caveat): number | bigint {
  return caveat.type === 'Unknown' ? caveat.code : CaveatCode[caveat.type];
}

function writeBody(caveat: Caveat): Uint8Array {
  const v = writeValue;
  switch (caveat.type) {
    case 'Organization': return struct(v(caveat.id), v(caveat.mask));
    case 'Apps': return struct(writeResourceMap(caveat.apps));
    case 'Volumes': return struct(writeResourceMap(caveat.volumes));
    case 'Machines': return struct(writeResourceMap(caveat.machines));
    case 'Clusters': return struct(writeResourceMap(caveat.clusters));
    case 'FeatureSet':
    case 'MachineFeatureSet':
    case 'AppFeatureSet':
      return struct(writeResourceMap(caveat.features));
    case 'ValidityWindow': return struct(v(caveat.notBefore), v(caveat.notAfter));
    case 'Mutations': return struct(v(caveat.mutations));
    case 'IsUser': return struct(v(caveat.id));
    case 'IsMember': return struct();
    case 'AllowedRoles': return v(caveat.roles);
    case 'Action': return v(caveat.action);
    // Go writes `Exact` even when false: omitempty has no effect on array-encoded structs.
    case 'Commands': return v(caveat.commands.map((c) => [c.args, c.exact]));
    case 'FromMachineSource': return struct(v(caveat.id));
    case 'FlySrc': return struct(v(caveat.organization), v(caveat.app), v(caveat.instance));
    case 'ConfineUser': return struct(v(caveat.id));
    case 'ConfineOrganization': return struct(v(caveat.id));
    case 'ConfineGoogleHD': return v(caveat.domain);
    case 'ConfineGitHubOrg': return v(caveat.id);
    case 'MaxValidity': return v(caveat.seconds);
    case 'ThirdParty': return struct(v(caveat.location), v(caveat.verifierKey), v(caveat.ticket));
    case 'BindToParentToken': return v(caveat.binding);
    case 'IfPresent': return struct(encodeCaveats(caveat.ifs), v(caveat.elseAction));
    case 'Unknown': return v(caveat.body);
  }
}

/** One caveat as its `[type, body]` pair of a CaveatSet. */
function caveatPair(caveat: Caveat): Uint8Array {
  return caveat.raw ?? concat([writeValue(caveatCode(caveat)), writeBody(caveat)]);
}

/** A CaveatSet as Go's `CaveatSet.MarshalMsgpack` writes it: `[type, body, …]`, flat. */
export function encodeCaveats(caveats: readonly Caveat[]): Uint8Array {
  return concat([arrayHeader(caveats.length * 2), ...caveats.map(caveatPair)]);
}

function encodeNonce(nonce: Nonce): Uint8Array {
  return writeValue(nonce.proof === undefined ? [nonce.kid, nonce.rnd] : [nonce.kid, nonce.rnd, nonce.proof]);
}

// ---------------------------------------------------------------------------------------------------------------
// The public codec.

/** Decodes a macaroon's MessagePack bytes. Throws MacaroonFormatError when they are not a macaroon. */
export function decodeMacaroon(bytes: Uint8Array): Macaroon {
  try {
    const top = readArrayHeader(bytes, 0);
    if (top.length !== 4) throw new MacaroonFormatError('A macaroon has 4 parts.');
    const ends: number[] = [];
    let pos = top.next;
    for (let i = 0; i < 4; i++) ends.push((pos = valueEnd(bytes, pos)));
    if (pos !== bytes.length) throw new MacaroonFormatError('The macaroon has extra bytes.');
    const starts = [top.next, ends[0], ends[1], ends[2]];
    const nonceValue = readValue(bytes.subarray(starts[0], ends[0]));
    if (!Array.isArray(nonceValue) || (nonceValue.length !== 2 && nonceValue.length !== 3)) {
      throw new MacaroonFormatError('The macaroon nonce is malformed.');
    }
    const [kid, rnd, proof] = nonceValue as unknown[];
    if (nonceValue.length === 3 && typeof proof !== 'boolean') {
      throw new MacaroonFormatError('The macaroon nonce is malformed.');
    }
    const nonce: Nonce = { kid: bin(kid) ?? new Uint8Array(), rnd: bin(rnd) ?? new Uint8Array() };
    if (typeof proof === 'boolean') nonce.proof = proof;
    const location = str(readValue(bytes.subarray(starts[1], ends[1])));
    const caveatBytes = bytes.subarray(starts[2], ends[2]);
    const caveats = caveatBytes.length === 1 && caveatBytes[0] === 0xc0 ? [] : readCaveatSet(caveatBytes);
    const tail = bin(readValue(bytes.subarray(starts[3], ends[3]))) ?? new Uint8Array();
    return { nonce, location, caveats, tail };
  } catch (error) {
    if (error instanceof MacaroonFormatError) throw error;
    throw new MacaroonFormatError(`The macaroon could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The macaroon's MessagePack bytes, as Go's `Macaroon.Encode` writes them. */
export function encodeMacaroon(macaroon: Macaroon): Uint8Array {
  return concat([
    arrayHeader(4),
    encodeNonce(macaroon.nonce),
    writeValue(macaroon.location),
    encodeCaveats(macaroon.caveats),
    writeValue(macaroon.tail),
  ]);
}

const PART_PREFIXES = new Set(['fm1r', 'fm1a', 'fm2']);

/** True when a token part (no scheme, no comma) is a macaroon by its prefix. Says nothing about its content. */
export function isMacaroonPart(part: string): boolean {
  const underscore = part.indexOf('_');
  return underscore > 0 && PART_PREFIXES.has(part.slice(0, underscore));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes one token part (`fm2_…`, `fm1r_…`, `fm1a_…`). Throws MacaroonFormatError when it is not one. */
export function parseMacaroonPart(part: string): Macaroon {
  const trimmed = part.trim();
  if (!isMacaroonPart(trimmed)) throw new MacaroonFormatError('This is not a macaroon (fm2_…).');
  const b64 = trimmed.slice(trimmed.indexOf('_') + 1);
  if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64.test(b64)) {
    throw new MacaroonFormatError('The macaroon is not valid base64.');
  }
  return decodeMacaroon(new Uint8Array(Buffer.from(b64, 'base64')));
}

/** The token part for a macaroon: `fm2_` + base64, as Go's `Macaroon.String` writes it. */
export function formatMacaroonPart(macaroon: Macaroon): string {
  return `fm2_${Buffer.from(encodeMacaroon(macaroon)).toString('base64')}`;
}

/** All caveats of the macaroon including those inside `IfPresent` (Go's `GetCaveats`). */
export function allCaveats(caveats: readonly Caveat[]): Caveat[] {
  return caveats.flatMap((c) => (c.type === 'IfPresent' ? [c, ...allCaveats(c.ifs)] : [c]));
}

/** Caveats of one type, nested ones included (Go's `GetCaveats[T]`). */
export function caveatsOfType<T extends Caveat['type']>(
  caveats: readonly Caveat[],
  type: T,
): Extract<Caveat, { type: T }>[] {
  return allCaveats(caveats).filter((c): c is Extract<Caveat, { type: T }> => c.type === type);
}

/**
 * When the macaroon stops being valid, in seconds since the epoch: the earliest `NotAfter` of its validity
 * windows, those inside `IfPresent` included (Go's `Macaroon.Expiration` uses `GetCaveats`). Null when it has
 * none (Go returns its maximum time).
 */
export function expiration(macaroon: Macaroon): number | null {
  const ends = caveatsOfType(macaroon.caveats, 'ValidityWindow').map((w) => w.notAfter);
  return ends.length === 0 ? null : Math.min(...ends);
}

function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest());
}

function caveatSignaturePiece(caveat: Caveat): Uint8Array {
  return concat([arrayHeader(2), caveatPair(caveat)]);
}

/**
 * Adds caveats and extends the signature, no key needed (Go's `Macaroon.Add`): a caveat already present (same
 * bytes) is skipped, as Go dedups. Third-party caveats need sealing and are refused here. Returns a new macaroon.
 */
export function attenuate(macaroon: Macaroon, caveats: readonly Caveat[]): Macaroon {
  if (macaroon.nonce.proof) throw new MacaroonFormatError('A finalized proof macaroon cannot take more caveats.');
  const seen = new Set(macaroon.caveats.map((c) => Buffer.from(caveatPair(c)).toString('hex')));
  let tail = macaroon.tail;
  const added: Caveat[] = [];
  for (const caveat of caveats) {
    if (caveat.type === 'ThirdParty') throw new MacaroonFormatError('Third-party caveats are not added here.');
    const key = Buffer.from(caveatPair(caveat)).toString('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    added.push(caveat);
    tail = hmac(tail, caveatSignaturePiece(caveat));
  }
  return { ...macaroon, caveats: [...macaroon.caveats, ...added], tail };
}

/** `attenuate` on a token part (`fm2_…`), giving the new part. */
export function attenuatePart(part: string, caveats: readonly Caveat[]): string {
  return formatMacaroonPart(attenuate(parseMacaroonPart(part), caveats));
}

/**
 * A new macaroon signed with `key` (Go's `macaroon.New` + `Add`): a random 16-byte nonce, a v1 nonce without
 * proof as Go writes today. For the emulator and tests; Fly mints real ones.
 */
export function mintMacaroon(kid: Uint8Array, location: string, key: Uint8Array, caveats: readonly Caveat[]): Macaroon {
  const nonce: Nonce = { kid, rnd: new Uint8Array(randomBytes(16)), proof: false };
  return attenuate({ nonce, location, caveats: [], tail: hmac(key, encodeNonce(nonce)) }, caveats);
}

const PROOF_FINALIZATION_KEY = new TextEncoder().encode('proof-signature-finalization');
const BINDING_ID_LENGTH = 16;

function digest(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** ChaCha20-Poly1305 open as Go's `unseal`: 12-byte nonce, then ciphertext and tag. Null when it does not open. */
function unseal(key: Uint8Array, sealed: Uint8Array | null): Uint8Array | null {
  if (sealed === null || sealed.length < 12 + 16 || key.length !== 32) return null;
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, sealed.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]));
  } catch {
    return null;
  }
}

function seal(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  return concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Adds a third-party caveat (Go's `Add3P`): the holder needs a discharge from `location`, which opens the ticket
 * with `thirdPartyKey` (32 bytes) and signs the discharge with the key inside it. `ticketCaveats` travel in the
 * ticket for the third party to check. For the emulator and tests.
 */
export function addThirdParty(
  macaroon: Macaroon,
  thirdPartyKey: Uint8Array,
  location: string,
  ticketCaveats: readonly Caveat[] = [],
): Macaroon {
  const dischargeKey = new Uint8Array(randomBytes(32));
  // wireTicket {DischargeKey []byte, Caveats CaveatSet}, array-encoded (superfly/macaroon cid.go)
  const ticket = seal(thirdPartyKey, struct(writeValue(dischargeKey), encodeCaveats(ticketCaveats)));
  const caveat: Caveat = { type: 'ThirdParty', location, verifierKey: seal(macaroon.tail, dischargeKey), ticket };
  return {
    ...macaroon,
    caveats: [...macaroon.caveats, caveat],
    tail: hmac(macaroon.tail, caveatSignaturePiece(caveat)),
  };
}

/** What a third party finds in a ticket: the discharge key and the caveats it must check. Null if it won't open. */
export function openTicket(ticket: Uint8Array, thirdPartyKey: Uint8Array): { dischargeKey: Uint8Array; caveats: Caveat[] } | null {
  const plain = unseal(thirdPartyKey, ticket);
  if (!plain) return null;
  const header = readArrayHeader(plain, 0);
  if (header.length !== 2) return null;
  const keyEnd = valueEnd(plain, header.next);
  const dischargeKey = bin(readValue(plain.subarray(header.next, keyEnd)));
  if (!dischargeKey) return null;
  const rest = plain.subarray(keyEnd);
  return { dischargeKey, caveats: rest.length === 1 && rest[0] === 0xc0 ? [] : readCaveatSet(rest) };
}

/**
 * The discharge for one third-party caveat, as the third party mints it (superfly/macaroon `tp/`): a macaroon
 * whose key id is the ticket, signed with the discharge key from the ticket, with the caveats it adds.
 */
export function mintDischarge(
  ticket: Uint8Array,
  thirdPartyKey: Uint8Array,
  location: string,
  caveats: readonly Caveat[] = [],
): Macaroon | null {
  const opened = openTicket(ticket, thirdPartyKey);
  return opened ? mintMacaroon(ticket, location, opened.dischargeKey, caveats) : null;
}

export type VerifyResult =
  | { ok: true; /** the caveats to check against the request: the token's own and its discharges' */ caveats: Caveat[] }
  | { ok: false; reason: string };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function verifyWith(
  macaroon: Macaroon,
  key: Uint8Array,
  discharges: readonly Macaroon[],
  parentBindings: readonly Uint8Array[] | null,
): VerifyResult {
  let mac = hmac(key, encodeNonce(macaroon.nonce));
  const bindings = [digest(mac)];
  const checked: Caveat[] = [];
  const pending: { candidates: Macaroon[]; key: Uint8Array }[] = [];
  for (const caveat of macaroon.caveats) {
    if (caveat.type === 'ThirdParty') {
      const ticket = caveat.ticket ?? new Uint8Array();
      const candidates = discharges.filter((d) => Buffer.compare(d.nonce.kid, ticket) === 0);
      if (candidates.length === 0) return { ok: false, reason: 'no matching discharge token' };
      const dischargeKey = unseal(mac, caveat.verifierKey);
      if (!dischargeKey) return { ok: false, reason: 'third-party caveat key does not open' };
      pending.push({ candidates, key: dischargeKey });
    } else if (caveat.type === 'BindToParentToken') {
      if (!parentBindings?.some((b) => Buffer.from(b).subarray(0, caveat.binding.length).equals(caveat.binding))) {
        return { ok: false, reason: 'discharge bound to a different parent token' };
      }
    } else {
      checked.push(caveat);
    }
    mac = hmac(mac, caveatSignaturePiece(caveat));
    bindings.push(digest(mac));
  }
  for (const { candidates, key: dischargeKey } of pending) {
    let result: VerifyResult = { ok: false, reason: 'no matching discharge token' };
    for (const discharge of candidates) {
      result = verifyWith(discharge, dischargeKey, [], bindings);
      if (result.ok) break;
    }
    if (!result.ok) return { ok: false, reason: `discharge: ${result.reason}` };
    checked.push(...result.caveats);
  }
  if (macaroon.nonce.proof) mac = hmac(PROOF_FINALIZATION_KEY, mac);
  if (!sameBytes(mac, macaroon.tail)) return { ok: false, reason: 'signature does not match' };
  return { ok: true, caveats: checked };
}

/**
 * Checks the signature chain of a permission macaroon with the key its key id names, and of the discharges its
 * third-party caveats need (Go's `Macaroon.Verify`; malformed discharges are ignored there, so callers drop the
 * ones they cannot decode). Says nothing about whether the caveats allow a request: check the returned caveats.
 */
export function verifyMacaroon(macaroon: Macaroon, key: Uint8Array, discharges: readonly Macaroon[] = []): VerifyResult {
  return verifyWith(macaroon, key, discharges, null);
}

/** The binding id a discharge's `BindToParentToken` carries for this parent (Go's `BindToParentMacaroon`). */
export function bindingFor(parent: Macaroon): Uint8Array {
  return digest(parent.tail).subarray(0, BINDING_ID_LENGTH);
}
