/**
 * The modules' `tags` input on every resource that takes tags: an aspect
 * merges var.tags under each resource's own tags (Name wins), over the
 * provider's default_tags.
 */
import { IConstruct } from 'constructs';
import { Aspects, Fn, IAspect, TerraformResource, TerraformStack, Token, ref } from 'cdktf';

class ModuleTags implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !('tagsInput' in node)) return;
    const resource = node as TerraformResource & { tagsInput?: Record<string, string>; tags: Record<string, string> };
    const own = resource.tagsInput;
    resource.tags = Token.asStringMap(Fn.merge([ref('var.tags'), own ?? {}]));
  }
}

/** Tags every taggable resource of `stack` with the module's `tags` variable. */
export function tagWithVariable(stack: TerraformStack): void {
  Aspects.of(stack).add(new ModuleTags());
}
