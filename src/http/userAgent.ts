// The one User-Agent the extension sends to Fly.io and GitHub.

export const PRODUCT = 'fly-deploy-tokens-vscode';

/** e.g. `fly-deploy-tokens-vscode/0.1.0 (vscode/1.100.3)`; without versions, the bare product name. */
export function userAgent(extensionVersion?: string, vscodeVersion?: string): string {
  if (!extensionVersion) return PRODUCT;
  return vscodeVersion ? `${PRODUCT}/${extensionVersion} (vscode/${vscodeVersion})` : `${PRODUCT}/${extensionVersion}`;
}
