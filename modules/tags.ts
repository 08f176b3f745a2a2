/**
 * The modules' `tags` input on every resource that takes tags: an aspect
 * merges var.tags under each resource's own tags (Name wins), over the
 * provider's default_tags.
 */
import { IConstruct } from 'constructs';
import { Aspects, Fn, IAspect, TerraformResource, TerraformStack, Token, ref } from 'cdktf';

/**
 * cdktf escapes a literal `${...}` inside a function argument (it takes it
 * for text), so an own tag such as `${var.name}-${each.key}` would become
 * `$${each.key}` inside merge(). Each literal interpolation is turned into a
 * reference token first; token markers cdktf already placed are left alone.
 */
function asTemplate(value: string): string {
  return value.replace(/\$\{(?!TfToken\[)([^{}]+)\}/g, (_whole, expression: string) => Token.asString(ref(expression)));
}

class ModuleTags implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !('tagsInput' in node)) return;
    const resource = node as TerraformResource & { tagsInput?: Record<string, string>; tags: Record<string, string> };
    const own = Object.fromEntries(
      Object.entries(resource.tagsInput ?? {}).map(([key, value]) => [key, typeof value === 'string' ? asTemplate(value) : value]),
    );
    resource.tags = Token.asStringMap(Fn.merge([ref('var.tags'), own]));
  }
}

/** Tags every taggable resource of `stack` with the module's `tags` variable. */
export function tagWithVariable(stack: TerraformStack): void {
  Aspects.of(stack).add(new ModuleTags());
}
