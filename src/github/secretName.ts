// GitHub's rules for Actions secret names.

/** Returns why `name` cannot be a GitHub Actions secret name, or undefined when it can. */
export function secretNameProblem(name: string): string | undefined {
  if (name === '') return 'Give the secret a name, e.g. FLY_API_TOKEN.';
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'Secret names may only contain letters, digits and underscores (no spaces or dashes).';
  if (/^[0-9]/.test(name)) return 'Secret names must not start with a digit.';
  if (/^GITHUB_/i.test(name)) return 'Secret names must not start with GITHUB_ (that prefix is reserved by GitHub).';
  if (name.length > 255) return 'Keep the secret name under 256 characters.';
  return undefined;
}
