import Handlebars from 'handlebars';

export type Template = (context: object) => string;

// An instance of its own: the emails' Handlebars stays apart from the web pages'.
const handlebars = Handlebars.create();

/**
 * `strict: true` throws on a missing `{{name}}`, but reads a helper's or a partial's argument
 * leniently: `{{> button url=confirmUrll}}` would still render an empty link. Marking every path
 * strict (the flag the compiler itself sets on `{{name}}`) makes those throw too.
 */
class StrictPaths extends Handlebars.Visitor {
  PathExpression(path: hbs.AST.PathExpression): void {
    (path as hbs.AST.PathExpression & { strict: boolean }).strict = true;
  }
}

function compile(source: string, html: boolean): HandlebarsTemplateDelegate {
  const ast = handlebars.parse(source);
  new StrictPaths().accept(ast);
  return handlebars.compile(ast, { strict: true, noEscape: !html });
}

/**
 * A kind's template, compiled strictly: a variable the context lacks throws instead of rendering as
 * nothing. HTML templates escape what they insert; plain-text ones (subject, text) do not.
 */
export function compileEmailTemplate(source: string, { html }: { html: boolean }): Template {
  return compile(source, html);
}
