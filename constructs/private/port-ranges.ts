/**
 * Security group rules for a set of TCP ports: one rule per contiguous run
 * of ports and source CIDR, or, when that would exceed the rules quota of
 * the group, one rule per CIDR covering the lowest to the highest port. The
 * covering form is as safe for an interface endpoint: the endpoint answers
 * only its service's listener ports, whatever its security group admits.
 * The same computation in TypeScript and as a Terraform expression (the
 * constructs emit the expression, so plain values and module variables take
 * one code path); a test checks they agree. Pure: no cdktf import.
 */

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Contiguous runs of the ports, lowest first. */
export function portRanges(ports: readonly number[]): PortRange[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const ranges: PortRange[] = [];
  for (const p of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last.to === p - 1) ranges[ranges.length - 1] = { from: last.from, to: p };
    else ranges.push({ from: p, to: p });
  }
  return ranges;
}

/** The ranges one security group admits from `cidrs` sources within `budget` rules. */
export function rangesWithin(ports: readonly number[], cidrs: number, budget: number): PortRange[] {
  const ranges = portRanges(ports);
  if (ranges.length === 0 || cidrs * ranges.length <= budget) return ranges;
  return [{ from: ranges[0].from, to: ranges[ranges.length - 1].to }];
}

/** rangesWithin as a Terraform expression over a list of numbers, a CIDR count and a budget (expressions). */
export function rangesWithinTf(ports: string, cidrs: string, budget: string): string {
  const runs = `[for p in distinct(${ports}) : { from = p, to = min([for q in ${ports} : q if q >= p && !contains(${ports}, q + 1)]...) } if !contains(${ports}, p - 1)]`;
  const covering = `[{ from = min(${ports}...), to = max(${ports}...) }]`;
  // The inputs come first: cdktf reads references placed after a `...` spread as outside the expression.
  return `(${budget} >= ${cidrs} * length(${runs}) ? ${runs} : ${covering})`;
}
