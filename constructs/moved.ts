import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';

/** The moves of each stack, written together as its `moved` blocks. */
const MOVES = new WeakMap<TerraformStack, { from: string; to: string }[]>();

/**
 * Records that what lived at Terraform address `from` in an earlier release
 * is now `to` (resource instance addresses, keys included). Terraform then
 * plans a change of that object, or, when it must be replaced, a
 * replacement (create before destroy where the new resource says so), not
 * a destroy of the old address and an unrelated create of the new one.
 * A move whose `from` is not in the state (a fresh deployment) does nothing.
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/refactoring
 */
export function recordMove(scope: Construct, from: string, to: string): void {
  const stack = TerraformStack.of(scope);
  const moves = MOVES.get(stack) ?? [];
  if (moves.some((m) => m.from === from)) return;
  moves.push({ from, to });
  MOVES.set(stack, moves);
  stack.addOverride('moved', [...moves]);
}

/** `type.name["key"]`: a resource instance address (no key: the resource, or its only instance). */
export function instanceAddress(resource: { terraformResourceType: string; friendlyUniqueId: string }, key?: string): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}${key === undefined ? '' : `[${JSON.stringify(key)}]`}`;
}
