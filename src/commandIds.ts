// Every id the extension registers or names in package.json: one place, so a rename cannot miss a caller
// (test/vscode/manifest.test.ts checks this list against package.json).
export const VIEW_ID = 'flyTokens.tokens';

export const Command = {
  createDeployToken: 'flyTokens.createDeployToken',
  createTokenAsGitHubSecret: 'flyTokens.createTokenAsGitHubSecret',
  revokeToken: 'flyTokens.revokeToken',
  rotateToken: 'flyTokens.rotateToken',
  refresh: 'flyTokens.refresh',
  signIn: 'flyTokens.signIn',
  signOut: 'flyTokens.signOut',
  signOutGitHub: 'flyTokens.signOutGitHub',
  showOrgTokens: 'flyTokens.showOrgTokens',
  showAppTokens: 'flyTokens.showAppTokens',
  showRevoked: 'flyTokens.showRevoked',
  hideRevoked: 'flyTokens.hideRevoked',
  showFlyctlTokens: 'flyTokens.showFlyctlTokens',
  hideFlyctlTokens: 'flyTokens.hideFlyctlTokens',
  copyTokenId: 'flyTokens.copyTokenId',
  openDashboard: 'flyTokens.openDashboard',
  chooseOrganization: 'flyTokens.chooseOrganization',
  showLog: 'flyTokens.showLog',
  generateDeployWorkflow: 'flyTokens.generateDeployWorkflow',
  createOrgDeployToken: 'flyTokens.createOrgDeployToken',
  revokeLeakedToken: 'flyTokens.revokeLeakedToken',
  reviewTokenHygiene: 'flyTokens.reviewTokenHygiene',
  inspectToken: 'flyTokens.inspectToken',
  findTokensInWorkspace: 'flyTokens.findTokensInWorkspace',
  revokeFoundToken: 'flyTokens.revokeFoundToken',
  ignoreFoundToken: 'flyTokens.ignoreFoundToken',
} as const;
