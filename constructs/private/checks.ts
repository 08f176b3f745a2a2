/**
 * Checks of several values together (a pair of BGP peers, a set of tags, a
 * list of CIDRs), shared by the config loader and the constructs' eager
 * validation. Pure: no cdktf import.
 */
import { cidrRange } from './ipv4';
import { MAX_USER_TAGS, RESERVED_TAG_KEYS, RULES, ValidationError, check, keyField } from './rules';

/**
 * The two BGP peer addresses of a VIF: each a host of a /30 or /31 in
 * link-local or private space, both in the same link subnet, not the same
 * host. Shared with the DirectConnectAttachment construct.
 */
export function checkPeerAddresses(
  amazon: string,
  customer: string,
  amazonField: string,
  customerField: string,
): ValidationError | undefined {
  for (const [field, value] of [
    [amazonField, amazon],
    [customerField, customer],
  ]) {
    const problem =
      check(RULES.linkAddress, field, value) ?? check(RULES.linkAddressRange, field, value) ?? check(RULES.linkAddressHost, field, value);
    if (problem) return problem;
  }
  const [a, c] = [cidrRange(amazon), cidrRange(customer)];
  if (a.prefixLength !== c.prefixLength || a.first !== c.first) {
    return new ValidationError(
      customerField,
      customer,
      `is not in the same link subnet as amazon_address ${amazon}`,
      'use the two ends of one link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
    );
  }
  if (amazon.split('/')[0] === customer.split('/')[0]) {
    return new ValidationError(
      customerField,
      customer,
      'is the same address as amazon_address',
      'give each side its own address of the link subnet, such as 169.254.100.1/30 and 169.254.100.2/30',
    );
  }
  return undefined;
}

/** Problems with a set of user tags (`field` is where they came from), first one first. */
export function checkTags(tags: Readonly<Record<string, string>>, field: string): ValidationError | undefined {
  const entries = Object.entries(tags);
  if (entries.length > MAX_USER_TAGS) {
    return new ValidationError(
      field,
      `${entries.length} tags`,
      `has more than ${MAX_USER_TAGS} tags`,
      `AWS allows 50 tags per resource and dx-privatelink sets ${RESERVED_TAG_KEYS.join(', ')}; keep at most ${MAX_USER_TAGS}`,
    );
  }
  for (const [key, value] of entries) {
    const at = keyField(field, key);
    const problem =
      check(RULES.tagKey, at, key) ??
      check(RULES.tagKeyNotReserved, at, key) ??
      ((RESERVED_TAG_KEYS as readonly string[]).includes(key)
        ? new ValidationError(
            at,
            key,
            'is set by dx-privatelink itself',
            `remove it; dx-privatelink sets ${RESERVED_TAG_KEYS.join(', ')} on its resources`,
          )
        : undefined) ??
      check(RULES.tagValue, at, value);
    if (problem) return problem;
  }
  return undefined;
}

/** Source CIDRs of a security group: none may admit everyone, and neither may all of them together. */
export function checkAllowedCidrs(cidrs: readonly string[], field: string): ValidationError | undefined {
  if (cidrs.length === 0) return new ValidationError(field, [], 'is empty', 'list the CIDRs of the applications that may connect');
  for (const [i, cidr] of cidrs.entries()) {
    const problem = check(RULES.cidr, `${field}[${i}]`, cidr) ?? check(RULES.cidrsNotEveryone, `${field}[${i}]`, [cidr]);
    if (problem) return problem;
  }
  return check(RULES.cidrsNotEveryone, field, cidrs);
}

/** A value that is not one of `allowed` (an enum prop), worded like the config loader's message. */
export function checkOneOf<T extends string>(field: string, value: string, allowed: readonly T[]): ValidationError | undefined {
  return (allowed as readonly string[]).includes(value)
    ? undefined
    : new ValidationError(field, value, 'is not an allowed value', `use one of: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

/** Terraform template sequences: Terraform evaluates them in any string of the synthesized JSON. */
export const TEMPLATE_SEQUENCE = /[$%]\{/;

/** How the walk below tells Terraform tokens from plain values (cdktf's, or none for a config file). */
export interface TokenView {
  /** True for a list, map or object that is a Terraform token as a whole. */
  readonly isToken: (value: unknown) => boolean;
  /** A string's own text, without the tokens embedded in it. */
  readonly literalText: (value: string) => string;
}

/** A view for plain data, such as a parsed config file: nothing is a token. */
export const NO_TOKENS: TokenView = { isToken: () => false, literalText: (v) => v };

/**
 * True for `{...}` literals: class instances (constructs, tokens) are not
 * walked. Any realm's Object.prototype counts (a vm context, structuredClone).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export interface TemplateSearch {
  /** How to tell tokens from plain values. @default NO_TOKENS */
  readonly tokens?: TokenView;
  /** Keys whose values are never walked (nor shown in a message): secrets checked elsewhere. @default - none */
  readonly skipKeys?: readonly string[];
}

/**
 * The first string or map key below `value` that holds `${` or `%{`, as a
 * problem naming its field (`a.b[2].c`, `tags["x y"]`). Tokens and class
 * instances are passed over; `fix` says what to write instead.
 */
export function findTemplateSequence(value: unknown, field: string, fix: string, search: TemplateSearch = {}): ValidationError | undefined {
  const tokens = search.tokens ?? NO_TOKENS;
  const found = (at: string, text: string) => new ValidationError(at || '(top level)', text, 'contains a Terraform template sequence', fix);
  if (typeof value === 'string') return TEMPLATE_SEQUENCE.test(tokens.literalText(value)) ? found(field, value) : undefined;
  if (tokens.isToken(value)) return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = findTemplateSequence(item, `${field}[${i}]`, fix, search);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = field ? keyField(field, key) : key;
      if (TEMPLATE_SEQUENCE.test(tokens.literalText(key))) return found(at, key);
      if (search.skipKeys?.includes(key)) continue;
      const problem = findTemplateSequence(item, at, fix, search);
      if (problem) return problem;
    }
  }
  return undefined;
}
