// `npm run emulator -- --port 4280 [--schema <path>] [--log <file>] [--token <t>] [--latency <ms>] [--legacy-login]`
// and the answering modes (modes.ts): `[--unauthorized-401] [--max-complexity <n>] [--partial-errors tokenUser,orgName]
// [--profile-params-text] [--sso-orgs acme,…] [--refusals-not-found] [--forbid-app <name>] [--forbid-org <slug>]
// [--revoked-at-timeout <token name>[:everywhere]] [--gateway-timeout-above <tokens>]`
import { startEmulator, type EmulatorOptions } from './index';
import { parsePartialErrors, parseRevokedAtTimeout } from './modes';

function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { port: 0 };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--port': {
        const port = Number(value(i++, flag));
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0-65535');
        opts.port = port;
        break;
      }
      case '--schema':
        opts.schemaPath = value(i++, flag);
        break;
      case '--log':
        opts.logFile = value(i++, flag);
        break;
      case '--token':
        opts.token = value(i++, flag);
        break;
      case '--latency': {
        const ms = Number(value(i++, flag));
        if (!(ms >= 0)) throw new Error('--latency must be a non-negative number of milliseconds');
        opts.latencyMs = ms;
        break;
      }
      case '--legacy-login':
        opts.legacyLogin = true;
        break;
      case '--unauthorized-401':
        opts.modes = { ...opts.modes, unauthorized: 'http401' };
        break;
      case '--max-complexity': {
        const max = Number(value(i++, flag));
        if (!Number.isInteger(max) || max < 1) throw new Error('--max-complexity must be a positive integer');
        opts.modes = { ...opts.modes, maxComplexity: max };
        break;
      }
      case '--partial-errors':
        opts.modes = { ...opts.modes, partialErrors: parsePartialErrors(value(i++, flag)) };
        break;
      case '--profile-params-text':
        opts.modes = { ...opts.modes, profileParamsAsText: true };
        break;
      case '--sso-orgs':
        opts.modes = { ...opts.modes, ssoOrgs: value(i++, flag).split(',').map((s) => s.trim()).filter(Boolean) };
        break;
      case '--refusals-not-found':
        opts.modes = { ...opts.modes, refusals: 'notFound' };
        break;
      case '--forbid-app':
      case '--forbid-org': {
        const name = value(i++, flag);
        const forbidden = opts.modes?.forbidden ?? { apps: [], orgs: [] };
        opts.modes = {
          ...opts.modes,
          forbidden: flag === '--forbid-app' ? { ...forbidden, apps: [...forbidden.apps, name] } : { ...forbidden, orgs: [...forbidden.orgs, name] },
        };
        break;
      }
      case '--revoked-at-timeout':
        opts.modes = { ...opts.modes, revokedAtTimeout: parseRevokedAtTimeout(value(i++, flag)) };
        break;
      case '--gateway-timeout-above': {
        const max = Number(value(i++, flag));
        if (!Number.isInteger(max) || max < 1) throw new Error('--gateway-timeout-above must be a positive integer');
        opts.modes = { ...opts.modes, gatewayTimeoutAboveTokens: max };
        break;
      }
      case '--macaroon-apps-refused':
        opts.modes = { ...opts.modes, macaroonApps: 'refused' };
        break;
      case '--logout-keeps-token':
        opts.modes = { ...opts.modes, logOutKeepsToken: true };
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return opts;
}

const USAGE =
  'npm run emulator -- --port <p> [--schema <path>] [--log <file>] [--token <t>] [--latency <ms>] [--legacy-login] ' +
  '[--unauthorized-401] [--max-complexity <n>] [--partial-errors tokenUser,orgName] [--profile-params-text] [--sso-orgs acme,…] ' +
  '[--refusals-not-found] [--forbid-app <name>] [--forbid-org <slug>] [--revoked-at-timeout <token name>[:everywhere]] [--gateway-timeout-above <tokens>]' +
  ' [--macaroon-apps-refused] [--logout-keeps-token]';

async function main(): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\nusage: ${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(opts);
  // The sign-in token is printed on purpose: this line is for the human who started the emulator.
  process.stdout.write(`Fly API emulator on ${emulator.url}  sign-in token: ${emulator.demoToken}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
