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
