/**
 * The check every public construct runs first on its props: a plain string
 * is data, and Terraform must never read it as a template. Not a construct,
 * and not in private/ because it reads cdktf tokens; the walk itself is the
 * pure findTemplateSequence (private/checks.ts), shared with the config
 * loader. Not exported from the package.
 */
import { Fn, Token, Tokenization } from 'cdktf';
import { TokenView, findTemplateSequence } from './private/checks';

/** What to do about a template sequence in a prop; the config loader says the same of config values. */
export const PROPS_TEMPLATE_FIX =
  'props are data and Terraform must never evaluate them: write the value without "${" or "%{", ' +
  'or pass a Terraform expression as a token (a TerraformVariable, a resource attribute or an Fn call)';

const CDKTF_TOKENS: TokenView = {
  isToken: (value) => Token.isUnresolved(value),
  // A string may mix literal text and tokens: only the literal text is data.
  literalText: (value) => (Token.isUnresolved(value) ? Tokenization.reverseString(value).literals.join('\0') : value),
};

/**
 * Throws a ValidationError naming the first plain string (or map key) below
 * `props` that holds `${` or `%{`. Tokens, constructs and functions are passed
 * over, and so is `bgpAuthKey`. `field` prefixes the names (`directConnect`
 * for `settings`, say).
 */
export function refuseTemplates(props: unknown, field = ''): void {
  // A literal BGP key is refused by DirectConnectAttachment without showing it.
  const problem = findTemplateSequence(props, field, PROPS_TEMPLATE_FIX, { tokens: CDKTF_TOKENS, skipKeys: ['bgpAuthKey'] });
  if (problem) throw problem;
}

/** True for a value known at synth time: checks of its shape apply. */
export function isPlain(value: unknown): boolean {
  if (value === undefined || value === null || Token.isUnresolved(value)) return false;
  // An element of a list token (`list[0]`) is a token too.
  return !(typeof value === 'string' && Token.isUnresolved([value]));
}

/** A string known at synth time (not a token): its shape can be checked. */
export function isPlainString(value: unknown): value is string {
  return typeof value === 'string' && isPlain(value);
}

/** A security group of ours, then the account's own (a list expression concatenated by Terraform). */
export function withExtraGroups(own: string, extra: string[] | undefined): string[] {
  if (extra === undefined) return [own];
  return Token.isUnresolved(extra) ? Fn.concat([[own], extra]) : [own, ...extra];
}
