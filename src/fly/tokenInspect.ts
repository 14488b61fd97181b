// What a Fly.io token is and what it allows, read from the token text alone: nothing is sent anywhere (like
// `fly tokens debug`, flyctl ad0172f internal/command/tokens/debug.go, but as facts a view can put in words).
// Pure: no I/O, no vscode.
//
// Kinds follow how flyctl ad0172f internal/command/tokens/create.go shapes them: `deploy` is a permission macaroon
// with an Apps caveat of one app; `ssh` is two permission macaroons, one attenuated to Action read and one to the
// Mutations issueCertificate + addWireGuardPeer; `machine-exec` adds an IfPresent{Commands} caveat; `orgs read-only`
// an Organization caveat with the read mask; `wireguard` an IfPresent{Apps{}, FeatureSet{wireguard}}. Permission
// macaroons are located at https://api.fly.io/v1; discharges (the auth service's answer to the third-party caveat
// every permission token carries) at the auth locations (superfly/macaroon 8578343 flyio/flyio.go).
import { Action, Location, allCaveats, caveatsOfType, parseMacaroonPart, type Caveat, type Macaroon } from './macaroon';
import { tokenPartsOf } from './tokenFinder';

export type InspectedKind =
  | 'authToken'
  | 'bundle'
  | 'deploy'
  | 'orgDeploy'
  | 'orgReadOnly'
  | 'ssh'
  | 'machineExec'
  | 'wireGuard'
  /** a macaroon token whose shape matches none of the kinds flyctl makes */
  | 'macaroon'
  /** macaroon parts that could not be decoded (cut short, or not Fly's format) */
  | 'unreadable';

export interface AppGrant {
  /** Fly's numeric app id (not the GraphQL id) */
  id: number;
  /** `Action` bits */
  actions: number;
}

export interface ThirdPartyInfo {
  location: string;
  /** a discharge for it travels in the same token (its caveats are then read too) */
  discharged: boolean;
}

export interface TokenInspection {
  kind: InspectedKind;
  authTokens: number;
  /** permission macaroons (what the token may do) */
  permissions: number;
  /** discharge macaroons (proofs for third-party caveats) */
  discharges: number;
  /** parts that looked like macaroons but could not be decoded */
  unreadable: number;
  /** the organization it is limited to (Fly's numeric id), and the actions allowed on it */
  organization: { id: number; actions: number } | null;
  /** the apps it is limited to; null when no Apps caveat limits it (all apps its organization allows) */
  apps: AppGrant[] | null;
  /** `Action` bits every request is limited to (the intersection of Action caveats); null when unlimited */
  actions: number | null;
  /** GraphQL mutations allowed; null when not limited */
  mutations: string[] | null;
  /** machine-exec commands allowed; null when not limited */
  commands: { args: string[]; exact: boolean }[] | null;
  /** feature names it reaches (wireguard, …); null when not limited */
  features: string[] | null;
  /** seconds since the epoch; null when no window says */
  notBefore: number | null;
  notAfter: number | null;
  thirdParty: ThirdPartyInfo[];
  /** caveat types this reader does not know (the token may be narrower than shown) */
  unknownCaveats: number;
}

const AUTH_LOCATIONS = new Set<string>([Location.Authentication, Location.NewAuthentication]);

function isPermission(m: Macaroon): boolean {
  return !AUTH_LOCATIONS.has(m.location) && m.location !== Location.Secrets;
}

function intersect(a: number | null, b: number): number {
  return a === null ? b : a & b;
}

/** The most a token allows on its apps, read from every permission macaroon's Apps caveats (top level and IfPresent). */
function appGrants(caveats: readonly Caveat[]): AppGrant[] | null {
  let grants: Map<number, number> | null = null;
  for (const c of caveatsOfType(caveats, 'Apps')) {
    // An empty Apps inside IfPresent means "no app" (flyctl's wireguard tokens): it names none, it limits nothing here.
    if (c.apps.size === 0) continue;
    if (grants === null) grants = new Map(c.apps);
    else {
      const next = new Map<number, number>();
      for (const [id, actions] of c.apps) if (grants.has(id)) next.set(id, (grants.get(id) ?? 0) & actions);
      grants = next;
    }
  }
  return grants === null ? null : [...grants].map(([id, actions]) => ({ id, actions }));
}

/** Reads the token text (any form the finder finds, or a pasted one). Never throws for a malformed part. */
export function inspectToken(tokenText: string): TokenInspection {
  const parts = tokenPartsOf(tokenText);
  const authTokens = parts.filter((p) => p.startsWith('fo1_') || /^[0-9a-f]{32,128}$/.test(p)).length;
  const macaroons: Macaroon[] = [];
  let unreadable = 0;
  for (const part of parts) {
    if (part.startsWith('fo1_') || /^[0-9a-f]{32,128}$/.test(part)) continue;
    try {
      macaroons.push(parseMacaroonPart(part));
    } catch {
      unreadable++;
    }
  }
  const permissions = macaroons.filter(isPermission);
  const discharges = macaroons.filter((m) => !isPermission(m));
  const permissionCaveats = permissions.flatMap((m) => m.caveats);
  const everyCaveat = macaroons.flatMap((m) => allCaveats(m.caveats));

  const orgs = caveatsOfType(permissionCaveats, 'Organization');
  const organization = orgs.length === 0 ? null : { id: orgs[0].id, actions: orgs.reduce((a, o) => a & o.mask, Action.All as number) };
  let actions: number | null = null;
  // Action caveats at the top level limit every request; inside IfPresent they apply to some only.
  for (const m of permissions) for (const c of m.caveats) if (c.type === 'Action') actions = intersect(actions, c.action);
  const mutationSets = caveatsOfType(permissionCaveats, 'Mutations').map((c) => c.mutations);
  const mutations = mutationSets.length === 0 ? null : [...new Set(mutationSets.flat())];
  const commandSets = caveatsOfType(permissionCaveats, 'Commands');
  const commands = commandSets.length === 0 ? null : commandSets.flatMap((c) => c.commands);
  const featureSets = caveatsOfType(permissionCaveats, 'FeatureSet');
  const features = featureSets.length === 0 ? null : [...new Set(featureSets.flatMap((c) => [...c.features.keys()]))];

  const windows = caveatsOfType(
    macaroons.flatMap((m) => m.caveats),
    'ValidityWindow',
  );
  const notBefore = windows.length === 0 ? null : Math.max(...windows.map((w) => w.notBefore));
  const notAfter = windows.length === 0 ? null : Math.min(...windows.map((w) => w.notAfter));

  const thirdParty: ThirdPartyInfo[] = caveatsOfType(
    macaroons.flatMap((m) => m.caveats),
    'ThirdParty',
  ).map((c) => ({
    location: c.location,
    discharged: !!c.ticket && discharges.some((d) => Buffer.compare(Buffer.from(d.nonce.kid), Buffer.from(c.ticket ?? [])) === 0),
  }));

  const inspection: TokenInspection = {
    kind: 'macaroon',
    authTokens,
    permissions: permissions.length,
    discharges: discharges.length,
    unreadable,
    organization,
    apps: appGrants(permissionCaveats),
    actions,
    mutations,
    commands,
    features,
    notBefore,
    notAfter,
    thirdParty,
    unknownCaveats: everyCaveat.filter((c) => c.type === 'Unknown').length,
  };
  inspection.kind = kindOf(inspection, permissions);
  return inspection;
}

function kindOf(i: TokenInspection, permissions: readonly Macaroon[]): InspectedKind {
  if (i.authTokens > 0) return i.permissions + i.discharges + i.unreadable > 0 ? 'bundle' : 'authToken';
  if (i.permissions === 0) return 'unreadable';
  if (i.commands !== null) return 'machineExec';
  const hasMutations = (m: Macaroon) => caveatsOfType(m.caveats, 'Mutations').some((c) => c.mutations.includes('issueCertificate'));
  const readOnly = (m: Macaroon) => m.caveats.some((c) => c.type === 'Action' && (c.action & ~Action.Read) === 0);
  if (permissions.length >= 2 && permissions.some(hasMutations) && permissions.some(readOnly)) return 'ssh';
  if (i.features?.includes('wireguard') && (i.apps === null || i.apps.length === 0)) return 'wireGuard';
  if (i.apps !== null && i.apps.length > 0) return 'deploy';
  if (i.organization) {
    const allowed = i.actions === null ? i.organization.actions : i.organization.actions & i.actions;
    return (allowed & ~Action.Read) === 0 ? 'orgReadOnly' : 'orgDeploy';
  }
  return 'macaroon';
}

/** Whether the token is outside its validity window at `nowSeconds`: 'expired', 'notYet', or null when valid/unknown. */
export function validityAt(i: Pick<TokenInspection, 'notBefore' | 'notAfter'>, nowSeconds: number): 'expired' | 'notYet' | null {
  if (i.notAfter !== null && nowSeconds >= i.notAfter) return 'expired';
  if (i.notBefore !== null && nowSeconds < i.notBefore) return 'notYet';
  return null;
}

/** The action bits as words (read, write, create, delete, control). */
export function actionNames(bits: number): string[] {
  const names: [number, string][] = [
    [Action.Read, 'read'],
    [Action.Write, 'write'],
    [Action.Create, 'create'],
    [Action.Delete, 'delete'],
    [Action.Control, 'control'],
  ];
  return names.filter(([bit]) => (bits & bit) !== 0).map(([, n]) => n);
}
