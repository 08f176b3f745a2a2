import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { JsonObject, hcl } from '../modules/hcl';
import { heredoc, literalString, quotedTemplate, soleInterpolation, templateParts } from '../modules/hcl-expression';
import { layoutExpression } from '../modules/hcl-layout';
import { shareExpressions } from '../modules/hcl-locals';
import { documentSchema } from '../modules/hcl-schema';
import { terraformFmt } from '../modules/module-files';
import { terraform } from './support/terraform';

// The JSON-to-HCL writer (modules/hcl*.ts) on the cases the generated
// modules do not all show, and Terraform's own reading of both syntaxes.

const schema = documentSchema();
/** The HCL of a document, as terraform fmt leaves it (fmt also proves it parses). */
const write = (doc: JsonObject) => terraformFmt(hcl(doc, schema));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dxpl-hcl-writer-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('strings', () => {
  test('a template keeps its sequences; literal text is escaped for a quoted string', () => {
    expect(quotedTemplate('a "b" \\ ${var.x} %{ if true }y%{ endif }\n')).toBe('"a \\"b\\" \\\\ ${var.x} %{ if true }y%{ endif }\\n"');
    expect(quotedTemplate('$${x} %%{y}')).toBe('"$${x} %%{y}"');
    expect(quotedTemplate('${"a\\"}"}')).toBe('"${"a\\"}"}"');
    expect(templateParts('x$${y}${z}%{if a}b%{endif}')).toEqual([
      { kind: 'literal', text: 'x$${y}' },
      { kind: 'interpolation', text: '${z}' },
      { kind: 'directive', text: '%{if a}' },
      { kind: 'literal', text: 'b' },
      { kind: 'directive', text: '%{endif}' },
    ]);
    expect(() => templateParts('a ${b')).toThrow(/unclosed/);
  });

  test('a string taken literally doubles its template markers', () => {
    expect(literalString('${x} and %{y} and $${z}\t\u0001')).toBe('"$${x} and %%{y} and $$${z}\\t\\u0001"');
  });

  test('one plain interpolation is its bare expression; with a strip marker or other text it stays a template', () => {
    expect(soleInterpolation('${ var.a }')).toBe('var.a');
    expect(soleInterpolation('${~ var.a}')).toBeUndefined();
    expect(soleInterpolation('${var.a}-x')).toBeUndefined();
    expect(soleInterpolation('$${var.a}')).toBeUndefined();
  });

  test('multi-line strings ending in a newline are heredocs, with a marker no line holds', () => {
    expect(heredoc('a\n${var.x} \\n\n', 'expression')).toBe('<<EOT\na\n${var.x} \\n\nEOT');
    expect(heredoc('EOT\nEOT1\n', 'literal')).toBe('<<EOT2\nEOT\nEOT1\nEOT2');
    expect(heredoc('${x}\n%{y}\n', 'literal')).toBe('<<EOT\n$${x}\n%%{y}\nEOT');
    expect(heredoc('one line\n', 'expression')).toBeUndefined();
    expect(heredoc('no\nfinal newline', 'expression')).toBeUndefined();
    expect(heredoc('carriage\r\nreturn\n', 'expression')).toBeUndefined();
    expect(heredoc('${join(",",\n[])}\nx\n', 'expression')).toBeUndefined();
  });
});

describe('documents', () => {
  test('nested blocks are blocks, map and object arguments are arguments; meta-arguments first and last', () => {
    const text = write({
      resource: {
        aws_lb_listener: {
          l: {
            depends_on: ['aws_lb.nlb'],
            tags: { Name: '${var.name}', 'kubernetes.io/role': 'x', for: 'y', '1a': 'z' },
            port: 9001,
            default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.tg.arn}' }],
            load_balancer_arn: '${aws_lb.nlb.arn}',
            for_each: '${var.forwards}',
            lifecycle: { ignore_changes: ['tags'], create_before_destroy: true },
            provider: 'aws.west',
          },
        },
      },
    });
    // Arguments keep the document's order (cdktf sorts them), blocks follow them.
    expect(text).toBe(`resource "aws_lb_listener" "l" {
  for_each = var.forwards
  provider = aws.west

  tags = {
    Name                 = var.name
    "kubernetes.io/role" = "x"
    "for"                = "y"
    "1a"                 = "z"
  }
  port              = 9001
  load_balancer_arn = aws_lb.nlb.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg.arn
  }

  depends_on = [
    aws_lb.nlb,
  ]

  lifecycle {
    ignore_changes = [
      tags,
    ]
    create_before_destroy = true
  }
}
`);
  });

  test('empty blocks, dynamic blocks, variables, outputs, moved and check blocks', () => {
    const text = write({
      variable: {
        v: {
          type: 'object({ a = optional(string) })',
          default: { a: '${not.a.reference}' },
          description: 'Say "${hi}"\nand more\n',
          nullable: false,
          sensitive: true,
          validation: [{ condition: '${var.v.a != "x"}', error_message: 'v.a: is ${var.v.a}' }],
        },
      },
      data: { aws_default_tags: { t: {} } },
      resource: {
        aws_security_group: {
          sg: {
            name: 'sg',
            dynamic: { ingress: { for_each: '${var.rules}', iterator: 'r', content: { from_port: '${r.value}' } } },
            egress: [],
          },
        },
      },
      output: { o: { value: '${aws_security_group.sg.id}', sensitive: true, depends_on: ['data.aws_default_tags.t'] } },
      moved: [{ from: 'aws_security_group.old', to: 'aws_security_group.sg' }],
      check: { c: { assert: [{ condition: '${length(var.rules) > 0}', error_message: 'no rules' }] } },
    });
    for (const expected of [
      'variable "v" {',
      'type        = object({ a = optional(string) })',
      'default = {\n    a = "$${not.a.reference}"\n  }',
      'description = <<EOT\nSay "$${hi}"\nand more\nEOT',
      '  validation {\n    condition     = var.v.a != "x"\n    error_message = "v.a: is ${var.v.a}"\n  }',
      'data "aws_default_tags" "t" {}',
      '  egress = []\n',
      '  dynamic "ingress" {\n    for_each = var.rules\n    iterator = r\n\n    content {\n      from_port = r.value\n    }\n  }',
      'output "o" {\n  value     = aws_security_group.sg.id\n  sensitive = true\n\n  depends_on = [\n    data.aws_default_tags.t,\n  ]\n}',
      'moved {\n  from = aws_security_group.old\n  to   = aws_security_group.sg\n}',
      'check "c" {\n  assert {\n    condition     = length(var.rules) > 0\n    error_message = "no rules"\n  }\n}',
    ])
      expect(text).toContain(expected);
  });

  test('an argument or block the schema does not know, and a label with a template, are errors', () => {
    expect(() => write({ resource: { aws_lb: { x: { no_such_argument: 1 } } } })).toThrow(/no_such_argument is not an argument or block/);
    expect(() => write({ resource: { aws_no_such_type: { x: {} } } })).toThrow(/not in the hashicorp\/aws/);
    expect(() => write({ output: { '${x}': { value: 1 } } })).toThrow(/holds a template sequence/);
  });
});

describe('layout', () => {
  const long = 'var.enabled && length(var.items) > 0 ? merge(var.base, { for k, v in var.items : k => v if v != null }) : {}';

  test('a long expression breaks only at parentheses, brackets, commas and top-level operators', () => {
    const laid = layoutExpression(long, 12, 2);
    expect(laid).toContain('\n');
    expect(laid.replace(/[\s,]/g, '')).toBe(`(${long})`.replace(/[\s,]/g, ''));
    expect(() => terraformFmt(`locals {\n  value = ${laid}\n}\n`)).not.toThrow();
    expect(layoutExpression('var.short', 12, 2)).toBe('var.short');
  });
});

describe('shared expressions', () => {
  const long = '${var.settings.enabled && var.settings.destination == "cloudwatch" ? 1 : 0}';
  const each = '${{ for k, v in var.forwards : k => v if v.path == "nat" && each.key != "x" }}';
  const groups = '${{ for k, v in var.forwards : k => v.target_group_arn if v.path == "nat" }}';

  test('a repeated long expression becomes a local named after its users; one equal to a local uses it', () => {
    const doc: JsonObject = {
      locals: { nat_groups: groups },
      resource: {
        aws_iam_role: { flow_logs_role: { count: long, name: 'r' } },
        aws_cloudwatch_log_group: { flow_logs_group: { count: long, name: 'g', lifecycle: { precondition: [{ condition: long }] } } },
        aws_autoscaling_attachment: { nat: { for_each: groups, lb_target_group_arn: each } },
      },
      output: { o: { value: groups, description: long } },
    };
    const shared = shareExpressions(doc);
    expect(shared.locals).toEqual({ flow_logs_count: long, nat_groups: groups });
    const resources = shared.resource as Record<string, Record<string, JsonObject>>;
    expect(resources.aws_iam_role.flow_logs_role.count).toBe('${local.flow_logs_count}');
    expect(resources.aws_autoscaling_attachment.nat.for_each).toBe('${local.nat_groups}');
    // what reads each, count or self, what lifecycle holds and what is not an output's value stay
    expect(resources.aws_autoscaling_attachment.nat.lb_target_group_arn).toBe(each);
    expect(resources.aws_cloudwatch_log_group.flow_logs_group.lifecycle).toEqual({ precondition: [{ condition: long }] });
    expect(shared.output).toEqual({ o: { value: '${local.nat_groups}', description: long } });
    // the input is left as it was
    expect((doc.resource as Record<string, Record<string, JsonObject>>).aws_iam_role.flow_logs_role.count).toBe(long);
  });
});

/** What Terraform makes of each expression, for a module directory: one console run. */
function evaluate(dir: string, expressions: readonly string[]): string {
  const r = terraform(dir, ['console', '-no-color'], {}, `jsonencode([${expressions.join(', ')}])\n`);
  if (r.status !== 0) throw new Error(`terraform console failed in ${dir}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('Terraform reads the HCL as it reads the JSON', () => {
  // Templates built from pieces that are valid wherever they stand, and free text for literal strings.
  const templatePiece = fc.constantFrom(
    'a',
    ' ',
    '\\',
    '\\n',
    '"',
    '\n',
    '\t',
    '}',
    '$a',
    '%a',
    '$$',
    'EOT',
    'é',
    '${"x"}',
    '${local.n}',
    '${~ "t" ~}',
    '%{ if true }y%{ endif }',
    '%{ for v in ["p", "q"] }${v},%{ endfor }',
    '$${',
    '%%{',
  );
  const literalPiece = fc.constantFrom('a', '$', '%', '{', '}', '${', '%{', '$${', '\\', '"', '\n', '\r', '\t', '\u0007', 'EOT', ' ');
  const text = (piece: fc.Arbitrary<string>) =>
    fc.tuple(fc.array(piece, { maxLength: 12 }), fc.boolean()).map(([p, newline]) => p.join('') + (newline ? '\n' : ''));

  test('templates, literal strings and object keys, JSON syntax against the written HCL', () => {
    const templates = fc.sample(text(templatePiece), { numRuns: 150, seed: 23 });
    const literals = fc.sample(text(literalPiece), { numRuns: 150, seed: 24 });
    const locals: JsonObject = { n: 7, keys: { 'a.b': 1, for: 2, '${"k"}': 3, 'x y': 4, '-a': 5, null: 6, $$: 7 } };
    templates.forEach((t, i) => (locals[`t${i}`] = t));
    // Object values, tuple items and nested objects take other paths through the writer.
    locals.nested = { list: templates.slice(0, 20), object: Object.fromEntries(templates.slice(20, 40).map((t, i) => [`k${i}`, t])) };
    const variable: JsonObject = Object.fromEntries(literals.map((l, i) => [`l${i}`, { default: l, description: l }]));
    variable.nested = { default: { list: literals.slice(0, 20), map: Object.fromEntries(literals.slice(20, 40).map((l) => [l, l])) } };
    const doc: JsonObject = { locals, variable };
    const expressions = [...Object.keys(locals).map((k) => `local.${k}`), ...Object.keys(variable).map((k) => `var.${k}`)];

    const results = Object.entries({ json: { 'main.tf.json': JSON.stringify(doc) }, hcl: { 'main.tf': write(doc) } }).map(
      ([form, files]) => {
        const dir = path.join(tmp, form);
        mkdirSync(dir, { recursive: true });
        for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
        return evaluate(dir, expressions);
      },
    );
    expect(results[0].length).toBeGreaterThan(1000);
    expect(results[1]).toBe(results[0]);
  });
});
